package dev.distill.job.budget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * What a run really wrote: on-disk bytes per top-level entry of its output (images, labels.parquet,
 * ...), measured from the file system after writing, beside the budget's plan made before it.
 */
public record ByteLedger(Map<String, Long> byEntry) {

  public ByteLedger {
    byEntry = Map.copyOf(byEntry);
  }

  /** Sums the file lengths under each entry of {@code dir}, skipping names in {@code ignored}. */
  public static ByteLedger measure(FileSystem fs, Path dir, java.util.Set<String> ignored) {
    Map<String, Long> bytes = new TreeMap<>();
    try {
      for (FileStatus entry : fs.listStatus(dir)) {
        if (ignored.contains(entry.getPath().getName())) {
          continue;
        }
        long total = 0;
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(entry.getPath(), true);
        while (files.hasNext()) {
          total += files.next().getLen(); // a checksummed FS hides its .crc files from listings
        }
        bytes.put(entry.getPath().getName(), total);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + dir, e);
    }
    return new ByteLedger(bytes);
  }

  public long of(String entry) {
    return byEntry.getOrDefault(entry, 0L);
  }
}
