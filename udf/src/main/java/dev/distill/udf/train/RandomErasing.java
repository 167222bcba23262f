package dev.distill.udf.train;

import java.util.SplittableRandom;

/**
 * Random Erasing (Zhong et al., 2020): with a probability, one rectangle of 2–33 % of the image's
 * area, aspect ratio between 0.3 and 3.3, is set to 0 in every channel — the dataset mean, as the
 * image is already normalised (torchvision's default value). The observer then cannot lean on any
 * single region, which is what it will be asked to judge: partial crops.
 */
public final class RandomErasing {
  private static final double MIN_AREA = 0.02;
  private static final double MAX_AREA = 1.0 / 3;
  private static final double MIN_LOG_RATIO = Math.log(0.3);
  private static final double MAX_LOG_RATIO = Math.log(1 / 0.3);
  /** torchvision's number of tries to draw a rectangle that fits before giving up. */
  private static final int TRIES = 10;

  private RandomErasing() {}

  /** Erases in place the image of {@code channels × h × w} floats at {@code offset}, maybe. */
  public static void apply(float[] image, int offset, int channels, int h, int w, double probability,
      SplittableRandom random) {
    if (probability <= 0 || random.nextDouble() >= probability) {
      return;
    }
    for (int t = 0; t < TRIES; t++) {
      double area = h * w * random.nextDouble(MIN_AREA, MAX_AREA);
      double ratio = Math.exp(random.nextDouble(MIN_LOG_RATIO, MAX_LOG_RATIO));
      int eh = (int) Math.round(Math.sqrt(area * ratio));
      int ew = (int) Math.round(Math.sqrt(area / ratio));
      if (eh < 1 || ew < 1 || eh >= h || ew >= w) {
        continue;
      }
      int top = random.nextInt(h - eh + 1);
      int left = random.nextInt(w - ew + 1);
      for (int c = 0; c < channels; c++) {
        for (int y = top; y < top + eh; y++) {
          int row = offset + (c * h + y) * w;
          java.util.Arrays.fill(image, row + left, row + left + ew, 0f);
        }
      }
      return;
    }
  }
}
