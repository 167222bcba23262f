package dev.distill.job;

import org.apache.spark.sql.SparkSession;

/** A small local session for tests: loopback only, no UI, scratch space under target/. */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession start() {
    return start("local[2]");
  }

  /** @param master e.g. {@code local[2,3]}: two threads, a task may fail three times before the job does */
  public static SparkSession start(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("distill-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.local.dir", "target/spark-local")
        .getOrCreate();
  }
}
