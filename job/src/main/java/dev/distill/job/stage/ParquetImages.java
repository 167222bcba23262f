package dev.distill.job.stage;

import dev.distill.udf.train.ImageSet;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Reads the ingest stage's (id, label, pixels) Parquet inside a single task, for training loops
 * that need a whole split in one JVM. Files are read in name order and rows sorted by nothing
 * else, so the loaded order is reproducible; the trainer shuffles with its own seed anyway.
 */
final class ParquetImages {
  private ParquetImages() {}

  static ImageSet load(String dir, int channels, int size, Configuration conf) throws IOException {
    ImageSet set = new ImageSet(channels, size, size);
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(conf);
    FileStatus[] files = fs.listStatus(root, p -> p.getName().endsWith(".parquet"));
    Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
    for (FileStatus file : files) {
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), file.getPath()).withConf(conf).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          set.add(g.getBinary("pixels", 0).getBytes(), g.getInteger("label", 0));
        }
      }
    }
    return set;
  }
}
