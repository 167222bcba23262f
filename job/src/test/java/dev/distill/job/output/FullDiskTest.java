package dev.distill.job.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.job.OutputFilesDigest;
import dev.distill.job.Pipeline;
import dev.distill.job.TestSpark;
import dev.distill.job.TinyData;
import dev.distill.job.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file system that fills up mid-run ({@link FullDiskFileSystem}: writes from the driver and from
 * Spark's tasks fail with "No space left on device"): the run stops with one line naming the output
 * and the way out, nothing appears under the output's name, and once space is freed the next run
 * reuses the committed stages and writes exactly what an undisturbed run writes. With resume off,
 * the staging directory is removed too.
 */
class FullDiskTest {
  /** Enough for ingest's tables, not for the whole run. */
  private static final long ALLOWANCE = 60_000;

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
    FullDiskFileSystem.install(spark.sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @AfterEach
  void freeSpace() {
    FullDiskFileSystem.LEFT.set(Long.MAX_VALUE);
  }

  @Test
  void aFullDiskStopsTheRunWithOneClearLineAndTheRunResumesOnceSpaceIsFreed(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 8, 16);
    Pipeline.run(spark, ConfigLoader.load(null, TinyData.job(tmp.resolve("train").toString(),
        tmp.resolve("clean").toString())), false);
    Path out = tmp.resolve("out");
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());

    FullDiskFileSystem.LEFT.set(ALLOWANCE);
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(OutputError.class)
        .hasMessageContaining("the output file:" + out + " could not be written")
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("are reused")
        .message().doesNotContain("\tat ", "\n");
    assertThat(out).doesNotExist();
    assertThat(tmp.resolve(".out.staging")).as("committed stages kept for the next run").isDirectory();

    FullDiskFileSystem.LEFT.set(Long.MAX_VALUE);
    Pipeline.Outcome resumed = Pipeline.run(spark, ConfigLoader.load(null, o), false);
    assertThat(resumed.manifest().reusedStages()).contains("ingest");
    assertThat(OutputFilesDigest.of(out)).isEqualTo(OutputFilesDigest.of(tmp.resolve("clean")));
  }

  @Test
  void withResumeOffAFullDiskLeavesNothingBehind(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 8, 16);
    Path out = tmp.resolve("out");
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());
    o.put("distill.output.resume", "false");

    FullDiskFileSystem.LEFT.set(ALLOWANCE);
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(OutputError.class)
        .hasMessageContaining("No space left on device")
        .message().doesNotContain("reused");
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("train");
    }
  }
}
