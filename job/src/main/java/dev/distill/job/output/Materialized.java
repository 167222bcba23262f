package dev.distill.job.output;

import dev.distill.job.read.ClassMapping;
import dev.distill.job.read.InputError;
import dev.distill.job.stage.Tables;
import dev.distill.udf.hadoop.HadoopConf;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An output with every training image written as a file, for training code that reads only an
 * image folder: INFER's composites, which the output stores as natural image + compensator, become
 * PNGs of their own. Same layout as an output ({@code images/<class>/<n>.png}, {@code
 * labels.parquet}, {@code classes.json}); the price is the composites' bytes.
 */
public final class Materialized {
  /** What was written: images (of which rebuilt composites), and bytes of images and labels. */
  public record Summary(long images, long composites, long imageBytes, long labelBytes) {}

  private Materialized() {}

  public static Summary write(SparkSession spark, DistilledOutput output, String target, int channels, int size) {
    Path dir = new Path(target);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(dir)) {
        throw new InputError(target + ": already exists; export writes a new directory");
      }
      fs.mkdirs(dir);
      ClassMapping classes = output.classes();
      Dataset<Row> images = output.images(spark, output.manifest().ipc(), channels, size).cache();
      OutputWriter writer = new OutputWriter(fs, fs.makeQualified(dir));
      writer.images(images, channels, new HadoopConf(spark.sparkContext().hadoopConfiguration()));
      writer.labels(images, classes);
      writer.classes(classes);
      writer.removeWorkFiles();
      writer.removeChecksumFiles();
      Dataset<Row> labels = spark.read().parquet(new Path(output.path(), OutputFiles.LABELS).toString());
      long composites = Tables.has(labels, OutputWriter.COMPENSATOR)
          ? labels.where(org.apache.spark.sql.functions.col(OutputWriter.COMPENSATOR).isNotNull()).count() : 0;
      images.unpersist();
      return new Summary(output.manifest().images(), composites,
          fs.getContentSummary(new Path(dir, OutputFiles.IMAGES)).getLength(),
          fs.getFileStatus(new Path(dir, OutputFiles.LABELS)).getLen());
    } catch (IOException e) {
      throw new InputError(target + ": cannot export: " + e.getMessage(), e);
    }
  }
}
