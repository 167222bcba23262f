package dev.distill.job.output;

import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.ml.SparkImages;
import dev.distill.udf.palette.IndexedPng;
import dev.distill.udf.palette.PaletteImage;

/**
 * How one stored image is encoded on disk. A method that stores images differently sets the
 * {@code encoding} column of its rows to a constant here; the writer picks the codec per row, and
 * readers need none (every constant is a PNG that ImageIO, PIL and Spark's image source read).
 */
public enum ImageEncoding {
  /** Lossless 8-bit PNG, gray or RGB: what ImageFolder and Spark's format("image") read. */
  PNG8("png") {
    @Override
    public byte[] encode(byte[] planar, int channels) {
      return ImageCodec.encodePng(SparkImages.fromPlanar(planar, channels));
    }
  },
  /**
   * Indexed-colour PNG of the image's own colours (at most 256, ascending), packed at 1, 2, 4 or 8
   * bits a pixel: what a palette method stores. See {@link IndexedPng}.
   */
  INDEXED_PNG("png") {
    @Override
    public byte[] encode(byte[] planar, int channels) {
      return IndexedPng.encode(PaletteImage.of(SparkImages.fromPlanar(planar, channels)));
    }
  };

  /** Optional column of the distilled table naming a constant of this enum. */
  public static final String COLUMN = "encoding";

  private final String extension;

  ImageEncoding(String extension) {
    this.extension = extension;
  }

  public String extension() {
    return extension;
  }

  public abstract byte[] encode(byte[] planar, int channels);
}
