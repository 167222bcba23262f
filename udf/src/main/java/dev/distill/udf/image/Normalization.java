package dev.distill.udf.image;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-channel mean and standard deviation (on the 0..1 scale) that turn 8-bit pixels into model
 * input. Images smaller than the model input are zero-padded, centred, after normalisation: RDED
 * scores a patch this way, so the padding reads as "average colour" to the observer.
 */
public record Normalization(float[] mean, float[] std) implements Serializable {

  public Normalization {
    if (mean.length != std.length || (mean.length != 1 && mean.length != 3)) {
      throw new IllegalArgumentException("mean and std need 1 or 3 equal-length entries, got "
          + Arrays.toString(mean) + " and " + Arrays.toString(std));
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
      }
    }
  }

  public int channels() {
    return mean.length;
  }

  /**
   * Writes the normalised image into {@code dest} at {@code offset} as a channels × height × width
   * block, centring it and filling the rest with zeros when it is smaller.
   */
  public void write(PixelImage image, int height, int width, float[] dest, int offset) {
    if (image.channels() != channels()) {
      throw new IllegalArgumentException(
          "model expects " + channels() + " channels, image has " + image.channels());
    }
    if (image.height() > height || image.width() > width) {
      throw new IllegalArgumentException("image " + image.height() + "x" + image.width()
          + " is larger than the model input " + height + "x" + width);
    }
    int top = (height - image.height()) / 2;
    int left = (width - image.width()) / 2;
    boolean padded = top > 0 || left > 0 || image.height() != height || image.width() != width;
    if (padded) {
      Arrays.fill(dest, offset, offset + channels() * height * width, 0f);
    }
    byte[] px = image.data();
    for (int c = 0; c < channels(); c++) {
      float scale = 1f / (255f * std[c]);
      float shift = mean[c] / std[c];
      for (int y = 0; y < image.height(); y++) {
        int src = (c * image.height() + y) * image.width();
        int dst = offset + (c * height + top + y) * width + left;
        for (int x = 0; x < image.width(); x++) {
          dest[dst + x] = (px[src + x] & 0xFF) * scale - shift;
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
