package dev.distill.udf.train;

import java.io.Serializable;

/** Hyper-parameters of an observer training run; see {@code distill.observer} in reference.conf. */
public record TrainingOptions(int epochs, int batchSize, float learningRate, long seed)
    implements Serializable {

  public TrainingOptions {
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("epochs and batch size must be >= 1 and the learning rate > 0");
    }
  }
}
