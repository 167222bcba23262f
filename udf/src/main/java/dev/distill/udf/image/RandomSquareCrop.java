package dev.distill.udf.image;

import java.util.SplittableRandom;

/**
 * Draws square crop boxes the way torchvision's {@code RandomResizedCrop.get_params} does with the
 * aspect ratio fixed to 1, which is what RDED's synthesis uses: an area fraction uniform in
 * [minScale, maxScale], up to ten attempts, then a centred fallback.
 */
public final class RandomSquareCrop {
  private static final int ATTEMPTS = 10;

  private final double minScale;
  private final double maxScale;

  public RandomSquareCrop(double minScale, double maxScale) {
    if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
      throw new IllegalArgumentException(
          "crop scale must satisfy 0 < min <= max <= 1, got [" + minScale + ", " + maxScale + "]");
    }
    this.minScale = minScale;
    this.maxScale = maxScale;
  }

  public CropBox sample(int height, int width, SplittableRandom random) {
    double area = (double) height * width;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      double target = area * (minScale + (maxScale - minScale) * random.nextDouble());
      int side = (int) Math.round(Math.sqrt(target));
      if (side > 0 && side <= width && side <= height) {
        int y = random.nextInt(height - side + 1);
        int x = random.nextInt(width - side + 1);
        return new CropBox(x, y, side);
      }
    }
    int side = Math.min(height, width);
    return new CropBox((width - side) / 2, (height - side) / 2, side);
  }
}
