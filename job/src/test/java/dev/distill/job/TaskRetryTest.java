package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distill.job.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task retries (local[2,2]: a task may fail once): a scoring and a labelling task that fail on their
 * first attempt are retried, and the output is byte for byte the output of a run without failures.
 */
class TaskRetryTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start("local[2,2]");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void aTaskThatFailsOnceIsRetriedAndTheOutputIsUnchanged(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 8, 16);
    Map<String, String> clean = TinyData.job(tmp.resolve("train").toString(), tmp.resolve("clean").toString());
    Pipeline.run(spark, ConfigLoader.load(null, clean), false);

    AtomicInteger failed = new AtomicInteger();
    SparkListener counter = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!end.taskInfo().successful()) {
          failed.incrementAndGet();
        }
      }
    };
    spark.sparkContext().addSparkListener(counter);
    int total = 0;
    for (String stage : new String[] {"score", "label"}) {
      Path out = tmp.resolve("retried-" + stage);
      Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());
      o.put("distill.fault.fail-task-once", stage);
      Pipeline.run(spark, ConfigLoader.load(null, o), false);
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertThat(failed.get()).as("tasks that failed in %s", stage).isGreaterThan(total);
      total = failed.get();
      assertThat(OutputFilesDigest.of(out)).isEqualTo(OutputFilesDigest.of(tmp.resolve("clean")));
    }
    spark.sparkContext().removeSparkListener(counter);
  }
}
