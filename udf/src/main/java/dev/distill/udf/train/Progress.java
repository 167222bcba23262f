package dev.distill.udf.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long loop as plain log lines, at most one per interval: units done of the total,
 * the rate, and the time left at that rate. A 10-minute epoch otherwise shows nothing until it ends.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final String what;
  private final String unit;
  private final long total;
  private final long intervalNanos;
  private final long start = System.nanoTime();
  private long last = start;
  private long done;

  public Progress(String what, String unit, long total, long intervalSeconds) {
    this.what = what;
    this.unit = unit;
    this.total = total;
    this.intervalNanos = intervalSeconds * 1_000_000_000L;
  }

  /** Counts {@code units} more; logs when the interval has passed since the last line. */
  public void advance(long units) {
    done += units;
    long now = System.nanoTime();
    if (now - last >= intervalNanos && done < total) {
      last = now;
      LOG.info(line(now));
    }
  }

  long start() {
    return start;
  }

  String line(long now) {
    double seconds = (now - start) / 1e9;
    double rate = done / Math.max(seconds, 1e-9);
    long left = Math.round((total - done) / Math.max(rate, 1e-9));
    return String.format("%s: %,d/%,d %s (%.0f %s/s), %d:%02d left", what, done, total, unit, rate, unit,
        left / 60, left % 60);
  }
}
