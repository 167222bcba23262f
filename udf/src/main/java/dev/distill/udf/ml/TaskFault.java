package dev.distill.udf.ml;

import org.apache.spark.TaskContext;

/**
 * A test hook for task retries: while the driver has the local property {@link #PROPERTY} set (the
 * job sets it for the stage named by {@code distill.fault.fail-task-once}), the first attempt of
 * partition 0 of each inference job fails. Spark retries it where retries are allowed; the output
 * must not change.
 */
public final class TaskFault {
  public static final String PROPERTY = "distill.fault.fail-task-once";

  private TaskFault() {}

  static void failFirstAttemptIfAsked() {
    TaskContext task = TaskContext.get();
    if (task != null && task.getLocalProperty(PROPERTY) != null && task.attemptNumber() == 0
        && task.partitionId() == 0) {
      throw new IllegalStateException("injected failure (" + PROPERTY + " = " + task.getLocalProperty(PROPERTY)
          + "): first attempt of partition 0 of stage " + task.stageId());
    }
  }
}
