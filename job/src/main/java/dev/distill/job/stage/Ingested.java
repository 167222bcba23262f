package dev.distill.job.stage;

import dev.distill.job.read.ClassMapping;
import dev.distill.udf.image.Normalization;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The ingest stage's result. {@code train} and {@code test} hold (id, label, pixels) and are
 * stored as Parquet under the run's work directory ({@code trainPath}, {@code testPath}), where
 * single-task training reads them. {@code rejects} holds (split, id, reason).
 */
public record Ingested(
    Dataset<Row> train,
    String trainPath,
    Dataset<Row> test,
    String testPath,
    Dataset<Row> rejects,
    ClassMapping classes,
    Map<Integer, Long> trainPerClass,
    long records,
    long rejected,
    long testImages,
    Normalization datasetNormalization) {}
