package dev.distill.udf.train;

import dev.distill.udf.random.StableRandom;
import java.util.SplittableRandom;

/**
 * CutMix on a normalised batch (channels × height × width per image): a box whose area is
 * 1 − λ (λ ~ Beta(1, 1) = uniform) is pasted from a permuted partner; λ is then recomputed from
 * the clipped box, as in the reference implementation. Targets mix with the same λ.
 */
public final class CutMix {
  private CutMix() {}

  /** λ actually applied (fraction of each image that is its own) and the partner of each image. */
  public record Mix(double lambda, int[] partner) {}

  public static Mix apply(float[] batch, int n, int channels, int height, int width, SplittableRandom random) {
    double lambda = random.nextDouble();
    int[] partner = StableRandom.permutation(n, random);
    double cut = Math.sqrt(1 - lambda);
    int cutW = (int) (width * cut);
    int cutH = (int) (height * cut);
    int cx = random.nextInt(width);
    int cy = random.nextInt(height);
    int x1 = clamp(cx - cutW / 2, width);
    int x2 = clamp(cx + cutW / 2, width);
    int y1 = clamp(cy - cutH / 2, height);
    int y2 = clamp(cy + cutH / 2, height);
    int chw = channels * height * width;
    float[] source = batch.clone();
    for (int i = 0; i < n; i++) {
      int j = partner[i];
      for (int c = 0; c < channels; c++) {
        for (int y = y1; y < y2; y++) {
          int row = c * height * width + y * width;
          System.arraycopy(source, j * chw + row + x1, batch, i * chw + row + x1, x2 - x1);
        }
      }
    }
    double applied = 1 - (double) (x2 - x1) * (y2 - y1) / (width * height);
    return new Mix(applied, partner);
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }
}
