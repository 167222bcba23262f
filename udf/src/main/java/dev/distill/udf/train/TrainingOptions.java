package dev.distill.udf.train;

import java.io.Serializable;

/**
 * Hyper-parameters of an observer training run; see {@code distill.observer} in reference.conf.
 *
 * @param weightDecay decoupled (AdamW) decay of weight tensors; biases and norms are not decayed
 * @param erasing probability that an image has a random rectangle erased (Zhong et al.'s Random
 *     Erasing), 0 for none
 */
public record TrainingOptions(int epochs, int batchSize, float learningRate, float weightDecay, float erasing,
    long seed) implements Serializable {

  public TrainingOptions {
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(weightDecay >= 0) || !(erasing >= 0 && erasing <= 1)) {
      throw new IllegalArgumentException("epochs and batch size must be >= 1, the learning rate > 0, the weight"
          + " decay >= 0 and the erasing probability in [0, 1]");
    }
  }

  /** Adam without weight decay or erasing: the recipe of the first observers. */
  public TrainingOptions(int epochs, int batchSize, float learningRate, long seed) {
    this(epochs, batchSize, learningRate, 0f, 0f, seed);
  }
}
