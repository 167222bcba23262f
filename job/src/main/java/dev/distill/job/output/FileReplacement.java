package dev.distill.job.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Adds or replaces one file in an already committed output (report, evaluation): written to a
 * hidden temporary name and renamed, so a reader sees the old file or the new one, never a part.
 * On a local disk it writes through the raw file system, so no {@code .crc} side file appears.
 */
public final class FileReplacement {
  private FileReplacement() {}

  public static void write(FileSystem checked, Path dir, String name, byte[] content) {
    FileSystem fs = checked instanceof LocalFileSystem local ? local.getRaw() : checked;
    Path tmp = new Path(dir, "." + name + ".tmp");
    Path target = new Path(dir, name);
    try {
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(content);
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename " + tmp + " -> " + target + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + " into " + dir, e);
    }
  }
}
