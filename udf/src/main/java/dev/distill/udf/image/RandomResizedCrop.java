package dev.distill.udf.image;

import java.util.SplittableRandom;

/**
 * Draws crop regions the way torchvision's {@code RandomResizedCrop.get_params} does: an area
 * fraction uniform in [minScale, maxScale] and a log aspect ratio uniform in [ln minRatio,
 * ln maxRatio], up to ten attempts, then a centred fallback clamped to the ratio range.
 */
public final class RandomResizedCrop {
  private static final int ATTEMPTS = 10;

  private final double minScale;
  private final double maxScale;
  private final double logMinRatio;
  private final double logMaxRatio;

  public RandomResizedCrop(double minScale, double maxScale, double minRatio, double maxRatio) {
    if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
      throw new IllegalArgumentException(
          "crop scale must satisfy 0 < min <= max <= 1, got [" + minScale + ", " + maxScale + "]");
    }
    if (!(minRatio > 0 && minRatio <= maxRatio)) {
      throw new IllegalArgumentException(
          "crop aspect ratio must satisfy 0 < min <= max, got [" + minRatio + ", " + maxRatio + "]");
    }
    this.minScale = minScale;
    this.maxScale = maxScale;
    this.logMinRatio = Math.log(minRatio);
    this.logMaxRatio = Math.log(maxRatio);
  }

  public Region sample(int height, int width, SplittableRandom random) {
    double area = (double) height * width;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      double target = area * (minScale + (maxScale - minScale) * random.nextDouble());
      // A fixed ratio draws nothing, so square crops use one draw per attempt as they always did.
      double ratio = logMinRatio == logMaxRatio ? Math.exp(logMinRatio)
          : Math.exp(logMinRatio + (logMaxRatio - logMinRatio) * random.nextDouble());
      int w = (int) Math.round(Math.sqrt(target * ratio));
      int h = (int) Math.round(Math.sqrt(target / ratio));
      if (w > 0 && h > 0 && w <= width && h <= height) {
        int y = random.nextInt(height - h + 1);
        int x = random.nextInt(width - w + 1);
        return new Region(x, y, w, h);
      }
    }
    double inRatio = (double) width / height;
    int w = width;
    int h = height;
    if (inRatio < Math.exp(logMinRatio)) {
      h = (int) Math.round(w / Math.exp(logMinRatio));
    } else if (inRatio > Math.exp(logMaxRatio)) {
      w = (int) Math.round(h * Math.exp(logMaxRatio));
    }
    return new Region((width - w) / 2, (height - h) / 2, w, h);
  }
}
