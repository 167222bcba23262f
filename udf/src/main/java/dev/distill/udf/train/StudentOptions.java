package dev.distill.udf.train;

import java.io.Serializable;

/**
 * A student-training protocol; defaults are RDED's (ALGORITHMS.md §1.6).
 *
 * @param temperature KD temperature for soft targets (20 with CutMix); hard labels use 1
 * @param evalFrom fraction of the epochs after which the test split is evaluated (0.8: last 20 %)
 * @param factor RDED's stitch factor of the training images (see {@link StitchedAugmentation}); 1 for
 *     natural images
 * @param mixing how batches and their soft labels are mixed
 */
public record StudentOptions(int epochs, int batchSize, float learningRate, float weightDecay,
    float temperature, LabelMode labels, int evalEvery, double evalFrom, long seed, int factor, Mixing mixing)
    implements Serializable {

  public StudentOptions {
    if (epochs < 1 || batchSize < 1 || evalEvery < 1 || evalFrom < 0 || evalFrom > 1 || factor < 1) {
      throw new IllegalArgumentException("invalid student options: epochs " + epochs + ", batch " + batchSize
          + ", eval every " + evalEvery + " from " + evalFrom + ", factor " + factor);
    }
  }

  /** The same protocol for images stitched with {@code factor}. */
  public StudentOptions withFactor(int factor) {
    return new StudentOptions(epochs, batchSize, learningRate, weightDecay, temperature, labels, evalEvery,
        evalFrom, seed, factor, mixing);
  }

  /** The same protocol with these targets and this seed: one training run. */
  public StudentOptions forRun(LabelMode labels, long seed) {
    return new StudentOptions(epochs, batchSize, learningRate, weightDecay, temperature, labels, evalEvery,
        evalFrom, seed, factor, mixing);
  }

  /** Whether the test accuracy is measured after epoch {@code epoch} (0-based). */
  public boolean evaluatesAfter(int epoch) {
    int k = epoch + 1;
    return k == epochs || (k > epochs * evalFrom && k % evalEvery == 0);
  }
}
