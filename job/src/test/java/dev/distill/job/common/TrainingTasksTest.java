package dev.distill.job.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.resource.ResourceProfile;
import org.junit.jupiter.api.Test;

/** Training tasks take a whole executor on clusters; local mode keeps Spark's plain scheduling. */
class TrainingTasksTest {
  @Test
  void onAClusterATrainingTaskAsksForEveryCoreOfItsExecutor() {
    ResourceProfile p = TrainingTasks.profile("yarn", 8, 0);
    assertThat(p.taskResources().get("cpus").get().amount()).isEqualTo(8.0);
    assertThat(TrainingTasks.profile("k8s://https://api:6443", 8, 4).taskResources().get("cpus").get().amount())
        .isEqualTo(4.0);
    assertThat(TrainingTasks.profile("spark://master:7077", 1, 0)).isNull(); // one core: nothing to ask for
  }

  @Test
  void localModeHasNoStageLevelProfile() {
    assertThat(TrainingTasks.profile("local[2]", 2, 0)).isNull();
    assertThat(TrainingTasks.profile("local[*]", 16, 16)).isNull();
  }
}
