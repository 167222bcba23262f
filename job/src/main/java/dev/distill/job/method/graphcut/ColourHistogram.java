package dev.distill.job.method.graphcut;

import dev.distill.udf.image.PixelImage;

/**
 * The normalised histogram of an image's colours: gray levels in {@code bins} equal bins, or RGB
 * in bins³ joint cells (a colour's cell is its three per-channel bins), as AutoPalette's colour
 * features.
 */
final class ColourHistogram {
  private ColourHistogram() {}

  static float[] of(PixelImage image, int bins) {
    int plane = image.height() * image.width();
    byte[] d = image.data();
    float[] h = new float[image.channels() == 1 ? bins : bins * bins * bins];
    for (int p = 0; p < plane; p++) {
      int cell = 0;
      for (int c = 0; c < image.channels(); c++) {
        cell = cell * bins + (d[c * plane + p] & 0xFF) * bins / 256;
      }
      h[cell] += 1f / plane;
    }
    return h;
  }
}
