package dev.distill.job.eval;

import dev.distill.udf.train.StudentOptions;
import java.io.Serializable;

/**
 * A set students learn from: the distilled output or a baseline ({@code rded}, {@code random},
 * {@code full}) at an images-per-class budget ({@code null} for the whole training set), stored as
 * Parquet at {@code path}, trained under {@code protocol}.
 */
record TrainingSet(String name, Integer ipc, String path, StudentOptions protocol) implements Serializable {

  /** Unique within one evaluation. */
  String key() {
    return ipc == null ? name : name + "@" + ipc;
  }
}
