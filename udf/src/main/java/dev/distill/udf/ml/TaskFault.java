package dev.distill.udf.ml;

import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test hooks for task retries and lost executors. While the driver has one of these local
 * properties set (the job sets it for the stage its {@code distill.fault.*} key names), the first
 * attempt of partition 0 of each inference job of that stage either fails ({@link #FAIL}) or stalls
 * ({@link #STALL}), logging its JVM's process id so that a test can kill that executor mid-stage.
 * Spark retries the task elsewhere; the output must not change.
 */
public final class TaskFault {
  public static final String FAIL = "distill.fault.fail-task-once";
  public static final String STALL = "distill.fault.stall-task-once";
  /** What a stalled task logs, followed by the executor JVM's process id. */
  public static final String STALLED = "injected stall: waiting to be killed, executor pid ";

  private static final Logger LOG = LoggerFactory.getLogger(TaskFault.class);
  private static final long STALL_MS = 600_000;

  private TaskFault() {}

  static void onTaskStart() {
    TaskContext task = TaskContext.get();
    // The very first attempt only: a lost executor also re-runs whole stages (new stage attempts,
    // whose task attempts count from 0 again), which must not fail or stall again.
    if (task == null || task.stageAttemptNumber() != 0 || task.attemptNumber() != 0 || task.partitionId() != 0) {
      return;
    }
    if (task.getLocalProperty(FAIL) != null) {
      throw new IllegalStateException("injected failure (" + FAIL + " = " + task.getLocalProperty(FAIL)
          + "): first attempt of partition 0 of stage " + task.stageId());
    }
    if (task.getLocalProperty(STALL) != null) {
      LOG.warn("{} = {}, stage {}: {}{}", STALL, task.getLocalProperty(STALL), task.stageId(), STALLED,
          ProcessHandle.current().pid());
      try {
        Thread.sleep(STALL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("injected stall (" + STALL + "): nobody killed executor "
          + ProcessHandle.current().pid() + " within " + STALL_MS / 1000 + " s");
    }
  }
}
