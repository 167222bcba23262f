package dev.distill.udf.palette;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A {@link PaletteImage} as an indexed-colour PNG (colour type 3): a PLTE chunk with exactly the
 * image's colours and indices packed at the smallest bit depth PNG allows for them (1, 2, 4 or 8;
 * PNG has no 3-bit depth, so 5–8 colours take 4 bits before compression). PIL opens it in mode
 * {@code P}, torchvision's ImageFolder and Spark's image source as RGB; gray palettes are stored
 * as r = g = b entries.
 */
public final class IndexedPng {
  private IndexedPng() {}

  /** The PNG bit depth for {@code colours} palette entries. */
  public static int bitDepth(int colours) {
    if (colours <= 2) {
      return 1;
    }
    return colours <= 4 ? 2 : colours <= 16 ? 4 : 8;
  }

  /** Byte-identical for identical input (ImageIO writes no timestamps). */
  public static byte[] encode(PaletteImage image) {
    int n = image.colours();
    byte[][] rgb = new byte[3][n];
    for (int k = 0; k < n; k++) {
      for (int c = 0; c < 3; c++) {
        rgb[c][k] = (byte) image.colour(k, image.channels() == 1 ? 0 : c);
      }
    }
    int bits = bitDepth(n);
    IndexColorModel model = new IndexColorModel(bits, n, rgb[0], rgb[1], rgb[2]);
    BufferedImage out = new BufferedImage(image.width(), image.height(),
        bits == 8 ? BufferedImage.TYPE_BYTE_INDEXED : BufferedImage.TYPE_BYTE_BINARY, model);
    WritableRaster raster = out.getRaster();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        raster.setSample(x, y, 0, image.index(y, x));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(out, "png", bytes)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads an indexed PNG back to its indices and palette, as written. Palette entries past the
   * highest index used are dropped: ImageIO pads a one-colour palette to two entries.
   *
   * @param channels 1 to read a gray palette (its first channel), 3 for RGB
   * @throws IllegalArgumentException when the bytes are not an indexed-colour PNG
   */
  public static PaletteImage decode(byte[] png, int channels) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a readable PNG: " + e.getMessage(), e);
    }
    if (image == null || !(image.getColorModel() instanceof IndexColorModel model)) {
      throw new IllegalArgumentException("not an indexed-colour PNG (" + png.length + " bytes)");
    }
    Raster raster = image.getRaster();
    byte[] indices = new byte[image.getHeight() * image.getWidth()];
    int n = 1;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int k = raster.getSample(x, y, 0);
        indices[y * image.getWidth() + x] = (byte) k;
        n = Math.max(n, k + 1);
      }
    }
    byte[] palette = new byte[n * channels];
    for (int k = 0; k < n; k++) {
      int rgb = model.getRGB(k);
      for (int c = 0; c < channels; c++) {
        palette[k * channels + c] = (byte) (rgb >> (16 - 8 * c));
      }
    }
    return new PaletteImage(channels, image.getHeight(), image.getWidth(), palette, indices);
  }
}
