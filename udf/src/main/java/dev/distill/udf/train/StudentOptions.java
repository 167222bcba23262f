package dev.distill.udf.train;

import java.io.Serializable;

/**
 * A student-training protocol; defaults are RDED's (ALGORITHMS.md §1.6).
 *
 * @param temperature KD temperature for soft targets (20 with CutMix); hard labels use 1
 * @param evalFrom fraction of the epochs after which the test split is evaluated (0.8: last 20 %)
 */
public record StudentOptions(int epochs, int batchSize, float learningRate, float weightDecay,
    float temperature, LabelMode labels, int evalEvery, double evalFrom, long seed) implements Serializable {

  public StudentOptions {
    if (epochs < 1 || batchSize < 1 || evalEvery < 1 || evalFrom < 0 || evalFrom > 1) {
      throw new IllegalArgumentException("invalid student options: epochs " + epochs + ", batch " + batchSize
          + ", eval every " + evalEvery + " from " + evalFrom);
    }
  }

  /** Whether the test accuracy is measured after epoch {@code epoch} (0-based). */
  public boolean evaluatesAfter(int epoch) {
    int k = epoch + 1;
    return k == epochs || (k > epochs * evalFrom && k % evalEvery == 0);
  }
}
