package dev.distill.udf.train;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * How a student's batch is mixed with a permutation of itself, and how stored soft labels follow:
 * <ul>
 *   <li>{@link #CUTMIX} (RDED's protocol): a box pasted from the partner ({@link CutMix}); the
 *       target is λ·softmax(z_i / T) + (1 − λ)·softmax(z_j / T).
 *   <li>{@link #MIXUP} (INFER's): the images blended with λ ~ Beta(0.8, 0.8); the stored logits are
 *       interpolated with the same λ and then softened: softmax((λ·z_i + (1 − λ)·z_j) / T).
 * </ul>
 * Both targets are distributions (they sum to one).
 */
public enum Mixing {
  CUTMIX,
  MIXUP;

  /** INFER's α: λ ~ Beta(α, α). */
  static final double MIXUP_ALPHA = 0.8;

  /** Mixes {@code batch} (n images of channels × height × width) in place. */
  public CutMix.Mix apply(float[] batch, int n, int channels, int height, int width, SplittableRandom random) {
    if (this == CUTMIX) {
      return CutMix.apply(batch, n, channels, height, width, random);
    }
    // The inverse CDF of a uniform draw keeps λ a function of the seeded stream alone.
    double lambda = new BetaDistribution(null, MIXUP_ALPHA, MIXUP_ALPHA).inverseCumulativeProbability(random.nextDouble());
    int[] partner = dev.distill.udf.random.StableRandom.permutation(n, random);
    int chw = channels * height * width;
    float[] source = batch.clone();
    float l = (float) lambda;
    for (int i = 0; i < n; i++) {
      int j = partner[i];
      for (int p = 0; p < chw; p++) {
        batch[i * chw + p] = l * source[i * chw + p] + (1 - l) * source[j * chw + p];
      }
    }
    return new CutMix.Mix(lambda, partner);
  }

  /**
   * The soft target for an image mixed from {@code own} and {@code other} (rows of {@code logits},
   * {@code classes} wide) with {@code lambda}, written to out[o..o+classes).
   */
  public void target(float[] logits, int own, int other, int classes, double lambda, float temperature, float[] out,
      int o) {
    java.util.Arrays.fill(out, o, o + classes, 0f);
    if (this == CUTMIX) {
      StudentTrainer.softmax(logits, own * classes, classes, temperature, out, o, (float) lambda, true);
      StudentTrainer.softmax(logits, other * classes, classes, temperature, out, o, (float) (1 - lambda), true);
      return;
    }
    float[] mixed = new float[classes];
    for (int k = 0; k < classes; k++) {
      mixed[k] = (float) (lambda * logits[own * classes + k] + (1 - lambda) * logits[other * classes + k]);
    }
    StudentTrainer.softmax(mixed, 0, classes, temperature, out, o, 1f, false);
  }
}
