package dev.distill.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain progress lines for long Spark stages, beside the Spark UI: at most one per interval per
 * stage — the job's description of it (the Spark job group's), tasks done of total, the rate and the
 * time left at that rate. Short stages print nothing. Registered by the CLI on the sessions it
 * creates; the lines go to the log, so they read the same on a terminal, in a file or in Airflow.
 */
public final class StageProgress extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(StageProgress.class);

  private final long intervalNanos;
  private final java.util.function.Consumer<String> sink;
  private final Map<Integer, Tracked> stages = new ConcurrentHashMap<>();

  public StageProgress(long intervalSeconds) {
    this(intervalSeconds, LOG::info);
  }

  StageProgress(long intervalSeconds, java.util.function.Consumer<String> sink) {
    this.intervalNanos = intervalSeconds * 1_000_000_000L;
    this.sink = sink;
  }

  private static final class Tracked {
    final String name;
    final int tasks;
    final long start = System.nanoTime();
    long last = start;
    int done;

    Tracked(String name, int tasks) {
      this.name = name;
      this.tasks = tasks;
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    StageInfo info = submitted.stageInfo();
    String description = submitted.properties() == null ? null
        : submitted.properties().getProperty("spark.job.description");
    stages.put(info.stageId(), new Tracked(description != null ? description : info.name(), info.numTasks()));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    Tracked t = stages.get(end.stageId());
    if (t == null || !end.taskInfo().successful()) {
      return;
    }
    String line = null;
    synchronized (t) {
      t.done++;
      long now = System.nanoTime();
      if (now - t.last >= intervalNanos && t.done < t.tasks) {
        t.last = now;
        line = line(t.name, t.done, t.tasks, (now - t.start) / 1e9);
      }
    }
    if (line != null) {
      sink.accept(line);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    stages.remove(completed.stageInfo().stageId());
  }

  static String line(String name, int done, int tasks, double seconds) {
    double rate = done / Math.max(seconds, 1e-9);
    long left = Math.round((tasks - done) / Math.max(rate, 1e-9));
    return String.format("%s: %d/%d tasks (%.2f tasks/s), %d:%02d left", name, done, tasks, rate, left / 60, left % 60);
  }
}
