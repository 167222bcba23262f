package dev.distill.udf.ml;

import dev.distill.udf.image.PixelImage;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;

/** Conversions between the job's planar pixels and Spark's image schema (interleaved BGR). */
public final class SparkImages {
  private SparkImages() {}

  public static boolean isImageStruct(DataType type) {
    return type.equals(ImageSchema.columnSchema());
  }

  /** Planar bytes whose square side follows from their length. */
  public static PixelImage fromPlanar(byte[] pixels, int channels) {
    int side = (int) Math.round(Math.sqrt(pixels.length / (double) channels));
    if (side * side * channels != pixels.length) {
      throw new IllegalArgumentException(pixels.length + " bytes are not a square "
          + channels + "-channel image");
    }
    return new PixelImage(channels, side, side, pixels);
  }

  /** A Spark image-schema row (origin, height, width, nChannels, mode, data). */
  public static PixelImage fromStruct(Row image, int channels) {
    int h = image.getInt(1);
    int w = image.getInt(2);
    int n = image.getInt(3);
    byte[] data = image.getAs(5);
    if (n != 1 && n != 3 && n != 4) {
      throw new IllegalArgumentException("image " + image.getString(0) + " has " + n + " channels");
    }
    int colors = n == 1 ? 1 : 3;
    PixelImage out = PixelImage.blank(colors, h, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int base = (y * w + x) * n;
        for (int c = 0; c < colors; c++) {
          // Spark stores OpenCV order: B, G, R(, A).
          int src = colors == 1 ? base : base + (2 - c);
          out.set(c, y, x, data[src] & 0xFF);
        }
      }
    }
    return dev.distill.udf.image.ImageCodec.conform(out, channels, h, w);
  }
}
