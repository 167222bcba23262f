package dev.distill.job.common;

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
public final class ParquetImages {
  private ParquetImages() {}

  /** Images with their stored soft labels ({@code soft_label}, classes wide), for student training. */
  public record Labelled(ImageSet images, float[] logits) {}

  public static ImageSet load(String dir, int channels, int size, Configuration conf) throws IOException {
    return read(dir, channels, size, conf, null).images();
  }

  /** As {@link #load}, also reading the {@code soft_label} column into one row-major array. */
  public static Labelled loadLabelled(String dir, int channels, int size, int classes, Configuration conf)
      throws IOException {
    return read(dir, channels, size, conf, classes);
  }

  private static Labelled read(String dir, int channels, int size, Configuration conf, Integer classes)
      throws IOException {
    ImageSet set = new ImageSet(channels, size, size);
    java.util.List<Float> logits = new java.util.ArrayList<>();
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(conf);
    FileStatus[] files = fs.listStatus(root, p -> p.getName().endsWith(".parquet"));
    Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
    for (FileStatus file : files) {
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), file.getPath()).withConf(conf).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          set.add(g.getBinary("pixels", 0).getBytes(), g.getInteger("label", 0));
          if (classes != null) {
            // Spark writes array<float> as a three-level LIST: soft_label.list[i].element
            Group list = g.getGroup("soft_label", 0);
            if (list.getFieldRepetitionCount("list") != classes) {
              throw new IOException(file.getPath() + ": a soft label has "
                  + list.getFieldRepetitionCount("list") + " entries, expected " + classes);
            }
            for (int i = 0; i < classes; i++) {
              logits.add(list.getGroup("list", i).getFloat("element", 0));
            }
          }
        }
      }
    }
    float[] flat = new float[logits.size()];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = logits.get(i);
    }
    return new Labelled(set, classes == null ? null : flat);
  }
}
