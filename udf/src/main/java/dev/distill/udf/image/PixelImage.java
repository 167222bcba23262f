package dev.distill.udf.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * An 8-bit image stored planar (channel, row, column): the layout the models consume, so a batch
 * is built without transposing. This is the {@code pixels} column of every dataset in the job.
 */
public record PixelImage(int channels, int height, int width, byte[] data) {

  public PixelImage {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
    }
    Objects.requireNonNull(data, "data");
    if (data.length != channels * height * width) {
      throw new IllegalArgumentException(
          "expected " + channels * height * width + " bytes for " + channels + "x" + height + "x"
              + width + ", got " + data.length);
    }
  }

  public static PixelImage blank(int channels, int height, int width) {
    return new PixelImage(channels, height, width, new byte[channels * height * width]);
  }

  /** Value in 0..255 of channel c at row y, column x. */
  public int get(int c, int y, int x) {
    return data[(c * height + y) * width + x] & 0xFF;
  }

  public void set(int c, int y, int x, int value) {
    data[(c * height + y) * width + x] = (byte) value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelImage p && p.channels == channels && p.height == height
        && p.width == width && Arrays.equals(p.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(channels, height, width, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "PixelImage[" + channels + "x" + height + "x" + width + "]";
  }
}
