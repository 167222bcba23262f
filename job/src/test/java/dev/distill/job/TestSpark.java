package dev.distill.job;

import org.apache.spark.sql.SparkSession;

/** A small local session for tests: loopback only, no UI, scratch space under target/. */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("distill-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.local.dir", "target/spark-local")
        .getOrCreate();
  }
}
