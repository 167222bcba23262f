package dev.distill.job.stage;

import dev.distill.job.config.DistillConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every stage shares: the session, the config, where the run writes before it commits, and
 * the stage clock. Each stage runs under its own Spark job group, so the Spark UI says what is
 * running, and its wall time goes into the manifest.
 */
public final class StageContext {
  private static final Logger LOG = LoggerFactory.getLogger(StageContext.class);

  private final SparkSession spark;
  private final DistillConfig config;
  private final Path staging;
  private final Map<String, Long> timingsMs = new LinkedHashMap<>();

  public StageContext(SparkSession spark, DistillConfig config, Path staging) {
    this.spark = spark;
    this.config = config;
    this.staging = staging;
  }

  public SparkSession spark() {
    return spark;
  }

  public DistillConfig config() {
    return config;
  }

  public Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** The directory the output is assembled in; renamed into place at commit. */
  public Path staging() {
    return staging;
  }

  /** Scratch space inside staging, removed before commit. */
  public Path work(String name) {
    return new Path(new Path(staging, "_work"), name);
  }

  public Map<String, Long> timingsMs() {
    return timingsMs;
  }

  public <T> T stage(String name, String description, Supplier<T> body) {
    spark.sparkContext().setJobGroup("distill-" + name, description, false);
    LOG.info("stage {}: {}", name, description);
    long start = System.nanoTime();
    try {
      return body.get();
    } finally {
      long ms = (System.nanoTime() - start) / 1_000_000;
      timingsMs.merge(name, ms, Long::sum);
      LOG.info("stage {} took {} ms", name, ms);
      spark.sparkContext().clearJobGroup();
    }
  }
}
