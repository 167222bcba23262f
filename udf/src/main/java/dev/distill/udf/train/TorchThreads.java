package dev.distill.udf.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Raises libtorch's intra-op threads for the duration of a training task that Spark gave several
 * cores (a stage-level resource profile), and restores them after. Never lowers them: in local mode
 * tasks hold one Spark core each while the JVM's threads were already set to the machine's cores.
 * Training steps take turns under {@link EngineLock}, so one step at a time uses all the threads.
 */
public final class TorchThreads implements AutoCloseable {
  private final int before;

  private TorchThreads(int before) {
    this.before = before;
  }

  /** At least as many threads as the current Spark task holds cores ({@code TaskContext.cpus()}). */
  public static TorchThreads forCurrentTask() {
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    return atLeast(task == null ? 1 : task.cpus());
  }

  public static TorchThreads atLeast(int threads) {
    ai.djl.engine.Engine.getEngine("PyTorch"); // loads the native library the calls below need
    int before = JniUtils.getNumThreads();
    if (threads > before) {
      JniUtils.setNumThreads(threads);
    }
    return new TorchThreads(before);
  }

  @Override
  public void close() {
    if (JniUtils.getNumThreads() != before) {
      JniUtils.setNumThreads(before);
    }
  }
}
