package dev.distill.job.eval;

import dev.distill.udf.train.StudentOptions;
import java.io.Serializable;

/**
 * A set students learn from: the distilled output or a baseline ({@code rded}, {@code random},
 * {@code random-ipc}, {@code full}) at an images-per-class budget ({@code null} for the whole
 * training set) and data seed (the seed its data was drawn or distilled with), stored as Parquet at {@code path}, trained under {@code protocol}, with its
 * {@code images} and the bytes it stores ({@code imageBytes} on disk as PNG, {@code labelBytes} at
 * the output's label bytes per image; 0 for the full set).
 */
record TrainingSet(String name, Integer ipc, long dataSeed, String path, StudentOptions protocol, long images,
    long imageBytes, long labelBytes) implements Serializable {

  TrainingSet(String name, Integer ipc, long dataSeed, String path, StudentOptions protocol) {
    this(name, ipc, dataSeed, path, protocol, 0, 0, 0);
  }

  /** This set as a plan records it: its Parquet path is the scratch of the evaluation that made it. */
  TrainingSet withoutPath() {
    return new TrainingSet(name, ipc, dataSeed, null, protocol, images, imageBytes, labelBytes);
  }

  /** Unique within one evaluation. */
  String key() {
    return (ipc == null ? name : name + "@" + ipc) + "#" + dataSeed;
  }
}
