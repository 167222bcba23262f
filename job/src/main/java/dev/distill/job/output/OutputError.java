package dev.distill.job.output;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The output could not be written for a reason the user can fix: its file system ran out of space
 * or quota. Spark wraps the writer's {@code IOException} in task and job failures whose messages
 * carry stack traces; this names the output and the way out in one line instead.
 */
public final class OutputError extends RuntimeException {
  /** How local disks, HDFS quotas and object stores say it. */
  private static final List<String> FULL = List.of(
      "no space left on device", "disk quota exceeded", "quota exceeded", "diskspacequotaexceeded");

  private OutputError(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@code failure} restated when it is a full file system, else null.
   *
   * @param stagingKept whether the committed stages stay for the next run to reuse
   */
  public static OutputError ifFull(Throwable failure, String target, String staging, boolean stagingKept) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if ((t instanceof IOException || t.getClass().getSimpleName().contains("Quota"))
          && FULL.stream().anyMatch(m::contains)) {
        String firstLine = t.getMessage().lines().findFirst().orElse("");
        return new OutputError("the output " + target + " could not be written: " + firstLine
            + ". Nothing was written there. Free space (or raise the quota) and run again"
            + (stagingKept ? "; the stages already committed in " + staging + " are reused." : "."), failure);
      }
    }
    return null;
  }
}
