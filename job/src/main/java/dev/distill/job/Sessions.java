package dev.distill.job;

import dev.distill.job.config.DistillConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession for a run. Under spark-submit the master and settings come from there; from
 * {@code bin/distill} the job starts an embedded local Spark from {@code distill.spark.*}.
 */
public final class Sessions {
  private Sessions() {}

  public static SparkSession create(DistillConfig config) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.spark().master());
      // Spark's progress bar redraws one line with carriage returns: a terminal shows it, a log file
      // or a scheduler's capture would fill with it.
      conf.set("spark.ui.showConsoleProgress", String.valueOf(System.console() != null));
      conf.set("spark.driver.host", System.getProperty("spark.driver.host", "127.0.0.1"));
      conf.set("spark.driver.bindAddress", System.getProperty("spark.driver.bindAddress", "127.0.0.1"));
    }
    if (!conf.contains("spark.app.name")) {
      conf.setAppName(config.spark().appName());
    }
    // Small shuffles: the selected and composed data are tiny; many empty partitions waste time.
    conf.setIfMissing("spark.sql.shuffle.partitions", String.valueOf(config.input().partitions()));
    config.spark().conf().forEach(conf::set);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    spark.sparkContext().addSparkListener(new StageProgress(60));
    return spark;
  }
}
