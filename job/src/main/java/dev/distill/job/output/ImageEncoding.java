package dev.distill.job.output;

import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.ml.SparkImages;

/**
 * How one stored image is encoded on disk. A method that stores images differently (AutoPalette's
 * indexed PNG) adds a constant here and sets the {@code encoding} column of its rows; the writer
 * and {@link dev.distill.job.read.DistilledOutput} pick the codec per row.
 */
public enum ImageEncoding {
  /** Lossless 8-bit PNG, gray or RGB: what ImageFolder and Spark's format("image") read. */
  PNG8("png");

  /** Optional column of the distilled table naming a constant of this enum. */
  public static final String COLUMN = "encoding";

  private final String extension;

  ImageEncoding(String extension) {
    this.extension = extension;
  }

  public String extension() {
    return extension;
  }

  public byte[] encode(byte[] planar, int channels) {
    return ImageCodec.encodePng(SparkImages.fromPlanar(planar, channels));
  }
}
