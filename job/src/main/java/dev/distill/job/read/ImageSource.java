package dev.distill.job.read;

import dev.distill.job.config.DistillConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A dataset format. {@link #read} checks on the driver what is cheap to check (listings, headers)
 * and fails with an {@link InputError} naming the file; per-record problems become rejects.
 */
public interface ImageSource {

  /** What was read: records in the {@link Records#SCHEMA}, and class names if the format has them. */
  record Result(Dataset<Row> records, ClassMapping classes) {}

  Result read(SparkSession spark, String path, DistillConfig.Input input);

  static ImageSource forFormat(String format) {
    return switch (format) {
      case "folder" -> new FolderSource();
      case "idx" -> new IdxSource();
      case "cifar" -> new CifarSource();
      case "parquet" -> new ParquetSource();
      default -> throw new IllegalArgumentException("unknown format " + format);
    };
  }
}
