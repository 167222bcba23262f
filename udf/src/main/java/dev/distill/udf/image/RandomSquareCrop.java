package dev.distill.udf.image;

import java.util.SplittableRandom;

/**
 * Square crop boxes as torchvision's {@code RandomResizedCrop} draws them with the aspect ratio
 * fixed to 1, which is what RDED's synthesis uses: an area fraction uniform in [minScale,
 * maxScale], up to ten attempts, then a centred fallback.
 */
public final class RandomSquareCrop {
  private final RandomResizedCrop crop;

  public RandomSquareCrop(double minScale, double maxScale) {
    this.crop = new RandomResizedCrop(minScale, maxScale, 1, 1);
  }

  public CropBox sample(int height, int width, SplittableRandom random) {
    Region r = crop.sample(height, width, random);
    return new CropBox(r.x(), r.y(), r.width());
  }
}
