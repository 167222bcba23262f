package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StageProgressTest extends SharedSpark {
  @Test
  void aLineNamesTheStageByItsJobDescriptionWithTasksRateAndTimeLeft() throws Exception {
    assertThat(StageProgress.line("Scoring 5 crops per pool image", 30, 120, 10.0))
        .isEqualTo("Scoring 5 crops per pool image: 30/120 tasks (3.00 tasks/s), 0:30 left");

    List<String> lines = new CopyOnWriteArrayList<>();
    StageProgress progress = new StageProgress(0, lines::add); // every task, for the test
    spark.sparkContext().addSparkListener(progress);
    spark.sparkContext().setJobGroup("distill-test", "Counting to a thousand", false);
    try {
      assertThat(spark.range(0, 1000, 1, 6).count()).isEqualTo(1000);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().clearJobGroup();
      spark.sparkContext().removeSparkListener(progress);
    }
    assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("Counting to a thousand: "))
        .anyMatch(l -> l.matches("Counting to a thousand: \\d/6 tasks \\(.* tasks/s\\), \\d+:\\d\\d left"));
  }
}
