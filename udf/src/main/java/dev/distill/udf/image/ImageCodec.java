package dev.distill.udf.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * PNG, JPEG and BMP through the JDK's ImageIO, normalised to the job's channel count and size.
 *
 * <p>Samples are read from the raster, not through {@code getRGB}, because Java treats gray images
 * as linear and would gamma-shift every gray value on conversion. Alpha is dropped, as
 * {@code PIL.Image.convert("RGB")} (and so PyTorch's ImageFolder) does; RGB becomes gray with the
 * ITU-R 601 luma weights PIL uses.
 */
public final class ImageCodec {
  private ImageCodec() {}

  /** Thrown for bytes that are not a readable image; the message says why. */
  public static final class UndecodableImageException extends Exception {
    public UndecodableImageException(String message) {
      super(message);
    }
  }

  public static PixelImage decode(byte[] encoded, int channels, int height, int width)
      throws UndecodableImageException {
    return conform(decode(encoded, channels), channels, height, width);
  }

  /**
   * As {@link #decode(byte[], int, int, int)}, refusing before decoding an image whose header
   * declares more than {@code maxPixels} pixels (a decompression bomb): memory stays bounded by the
   * limit, whatever the file claims.
   */
  public static PixelImage decode(byte[] encoded, int channels, int height, int width, long maxPixels)
      throws UndecodableImageException {
    return conform(decode(encoded, channels, maxPixels), channels, height, width);
  }

  /**
   * Decodes at the image's own size, converting only the channel count. A reader's warning (a JPEG
   * that ends early, which ImageIO would fill with grey) makes the image undecodable, as does a
   * four-channel image without alpha (CMYK or YCCK), whose colours ImageIO does not convert.
   */
  public static PixelImage decode(byte[] encoded, int channels) throws UndecodableImageException {
    return decode(encoded, channels, Long.MAX_VALUE);
  }

  private static PixelImage decode(byte[] encoded, int channels, long maxPixels) throws UndecodableImageException {
    BufferedImage image;
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new UndecodableImageException(
            "not a PNG, JPEG or BMP image (" + encoded.length + " bytes, no decoder accepted it)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long declared = (long) reader.getWidth(0) * reader.getHeight(0); // from the header alone
        if (declared > maxPixels) {
          throw new UndecodableImageException("declares " + reader.getWidth(0) + " x " + reader.getHeight(0) + " = "
              + declared + " pixels, above the limit of " + maxPixels + " (distill.input.max-pixels); not decoded");
        }
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new UndecodableImageException("corrupt image data: " + e.getMessage());
    }
    if (!warnings.isEmpty()) {
      throw new UndecodableImageException("damaged image data: " + String.join("; ", warnings));
    }
    ColorModel model = image.getColorModel();
    if (image.getRaster().getNumBands() == 4 && !model.hasAlpha()) {
      throw new UndecodableImageException("four colour channels without alpha (CMYK or YCCK): not converted, the"
          + " colours would be wrong; convert the file to RGB");
    }
    return convertChannels(fromBufferedImage(image), channels);
  }

  /** Converts channel count, then resizes (antialiased bilinear) when the size differs. */
  public static PixelImage conform(PixelImage image, int channels, int height, int width) {
    PixelImage converted = convertChannels(image, channels);
    if (converted.height() == height && converted.width() == width) {
      return converted;
    }
    return Resampler.resize(converted, height, width);
  }

  static PixelImage convertChannels(PixelImage image, int channels) {
    if (image.channels() == channels) {
      return image;
    }
    int plane = image.height() * image.width();
    byte[] out = new byte[channels * plane];
    byte[] in = image.data();
    if (channels == 3) {
      for (int c = 0; c < 3; c++) {
        System.arraycopy(in, 0, out, c * plane, plane);
      }
    } else {
      for (int i = 0; i < plane; i++) {
        int r = in[i] & 0xFF;
        int g = in[plane + i] & 0xFF;
        int b = in[2 * plane + i] & 0xFF;
        out[i] = (byte) ((r * 299 + g * 587 + b * 114) / 1000);
      }
    }
    return new PixelImage(channels, image.height(), image.width(), out);
  }

  static PixelImage fromBufferedImage(BufferedImage image) throws UndecodableImageException {
    int h = image.getHeight();
    int w = image.getWidth();
    Raster raster = image.getRaster();
    ColorModel model = image.getColorModel();
    if (model instanceof IndexColorModel palette) {
      PixelImage out = PixelImage.blank(3, h, w);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = palette.getRGB(raster.getSample(x, y, 0));
          out.set(0, y, x, (rgb >> 16) & 0xFF);
          out.set(1, y, x, (rgb >> 8) & 0xFF);
          out.set(2, y, x, rgb & 0xFF);
        }
      }
      return out;
    }
    int bands = raster.getNumBands();
    int colorBands = switch (bands) {
      case 1, 2 -> 1; // gray, gray + alpha
      case 3, 4 -> 3; // RGB, RGBA
      default -> throw new UndecodableImageException("unsupported image with " + bands + " bands");
    };
    PixelImage out = PixelImage.blank(colorBands, h, w);
    for (int c = 0; c < colorBands; c++) {
      int bits = raster.getSampleModel().getSampleSize(c);
      int max = (1 << bits) - 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int v = raster.getSample(x, y, c);
          out.set(c, y, x, bits == 8 ? v : Math.round(v * 255f / max));
        }
      }
    }
    return out;
  }

  /** Lossless PNG; byte-identical for identical pixels (ImageIO writes no timestamps). */
  public static byte[] encodePng(PixelImage image) {
    int type = image.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
    BufferedImage out = new BufferedImage(image.width(), image.height(), type);
    WritableRaster raster = out.getRaster();
    for (int c = 0; c < image.channels(); c++) {
      for (int y = 0; y < image.height(); y++) {
        for (int x = 0; x < image.width(); x++) {
          raster.setSample(x, y, c, image.get(c, y, x));
        }
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
}
