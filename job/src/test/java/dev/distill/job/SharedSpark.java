package dev.distill.job;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base for test classes that share one local SparkSession. */
public abstract class SharedSpark {
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.start();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }
}
