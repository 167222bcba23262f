package dev.distill.job.common;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.sql.SparkSession;

/**
 * Independent training problems (observer architectures, student seeds) as one Spark task each,
 * scheduled one per executor with all its cores. Training steps in one JVM take turns (the engine
 * lock), so two training tasks on one executor would share its cores at best and hold a core each
 * idle at worst. On a cluster the tasks get a stage-level profile asking for {@code task-cpus}
 * cores (0: {@code spark.executor.cores}); the task raises libtorch's threads to that. In local
 * mode (one JVM, where Spark offers no stage-level scheduling) the launcher already gives libtorch
 * every core, and the lock makes one step at a time use them.
 */
public final class TrainingTasks {
  private TrainingTasks() {}

  public static <T> JavaRDD<T> of(SparkSession spark, List<T> items, int taskCpus) {
    JavaRDD<T> rdd = new JavaSparkContext(spark.sparkContext()).parallelize(items, items.size());
    ResourceProfile profile = profile(spark.sparkContext().master(), spark.sparkContext().getConf()
        .getInt("spark.executor.cores", 1), taskCpus);
    return profile == null ? rdd : rdd.withResources(profile);
  }

  /** The profile for {@code master}, or null where none is needed or Spark cannot apply one. */
  static ResourceProfile profile(String master, int executorCores, int taskCpus) {
    int cpus = taskCpus > 0 ? taskCpus : executorCores;
    if (master.startsWith("local") || cpus <= 1) {
      return null;
    }
    return new ResourceProfileBuilder().require(new TaskResourceRequests().cpus(cpus)).build();
  }
}
