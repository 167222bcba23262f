package dev.distill.udf.palette;

import dev.distill.udf.image.PixelImage;
import java.util.Arrays;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An image stored as an index per pixel into a palette of at most 256 colours: what an indexed PNG
 * holds. {@code palette} is {@code colours × channels} bytes, colour by colour; {@code indices} is
 * one byte per pixel, row-major.
 */
public record PaletteImage(int channels, int height, int width, byte[] palette, byte[] indices) {

  public PaletteImage {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    Objects.requireNonNull(palette, "palette");
    Objects.requireNonNull(indices, "indices");
    if (palette.length == 0 || palette.length % channels != 0 || palette.length / channels > 256) {
      throw new IllegalArgumentException("a palette holds 1 to 256 colours of " + channels + " bytes, got "
          + palette.length + " bytes");
    }
    if (indices.length != height * width) {
      throw new IllegalArgumentException("expected " + height * width + " indices, got " + indices.length);
    }
    int colours = palette.length / channels;
    for (byte i : indices) {
      if ((i & 0xFF) >= colours) {
        throw new IllegalArgumentException("index " + (i & 0xFF) + " outside a palette of " + colours);
      }
    }
  }

  public int colours() {
    return palette.length / channels;
  }

  /** Value 0..255 of channel {@code c} of palette entry {@code k}. */
  public int colour(int k, int c) {
    return palette[k * channels + c] & 0xFF;
  }

  public int index(int y, int x) {
    return indices[y * width + x] & 0xFF;
  }

  /** The planar 8-bit image this stands for. */
  public PixelImage toPixels() {
    PixelImage out = PixelImage.blank(channels, height, width);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int k = index(y, x);
        for (int c = 0; c < channels; c++) {
          out.set(c, y, x, colour(k, c));
        }
      }
    }
    return out;
  }

  /**
   * {@code image} with every pixel replaced by the nearest colour of this palette (squared distance;
   * ties go to the lower index).
   */
  public PixelImage nearest(PixelImage image) {
    PixelImage out = PixelImage.blank(image.channels(), image.height(), image.width());
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int k = 0; k < colours(); k++) {
          long d = 0;
          for (int c = 0; c < image.channels(); c++) {
            long diff = image.get(c, y, x) - colour(k, c);
            d += diff * diff;
          }
          if (d < bestDistance) {
            bestDistance = d;
            best = k;
          }
        }
        for (int c = 0; c < image.channels(); c++) {
          out.set(c, y, x, colour(best, c));
        }
      }
    }
    return out;
  }

  /**
   * The exact palette form of an image with at most 256 distinct colours: its colours in ascending
   * order (by channel values, first channel most significant), so equal pixels give equal bytes
   * whatever produced them.
   */
  public static PaletteImage of(PixelImage image) {
    int plane = image.height() * image.width();
    int[] packed = new int[plane];
    TreeSet<Integer> distinct = new TreeSet<>();
    for (int p = 0; p < plane; p++) {
      packed[p] = pack(image, p);
      distinct.add(packed[p]);
    }
    if (distinct.size() > 256) {
      throw new IllegalArgumentException("an image with " + distinct.size()
          + " distinct colours has no palette form (at most 256)");
    }
    int[] sorted = distinct.stream().mapToInt(Integer::intValue).toArray();
    int channels = image.channels();
    byte[] palette = new byte[sorted.length * channels];
    for (int k = 0; k < sorted.length; k++) {
      for (int c = 0; c < channels; c++) {
        palette[k * channels + c] = (byte) (sorted[k] >> (8 * (channels - 1 - c)));
      }
    }
    byte[] indices = new byte[plane];
    for (int p = 0; p < plane; p++) {
      indices[p] = (byte) Arrays.binarySearch(sorted, packed[p]);
    }
    return new PaletteImage(channels, image.height(), image.width(), palette, indices);
  }

  private static int pack(PixelImage image, int p) {
    int plane = image.height() * image.width();
    int v = 0;
    for (int c = 0; c < image.channels(); c++) {
      v = (v << 8) | (image.data()[c * plane + p] & 0xFF);
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaletteImage p && p.channels == channels && p.height == height && p.width == width
        && Arrays.equals(p.palette, palette) && Arrays.equals(p.indices, indices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(channels, height, width, Arrays.hashCode(palette), Arrays.hashCode(indices));
  }

  @Override
  public String toString() {
    return "PaletteImage[" + channels + "x" + height + "x" + width + ", " + colours() + " colours]";
  }
}
