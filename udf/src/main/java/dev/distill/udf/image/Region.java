package dev.distill.udf.image;

/** A rectangle of an image: top-left corner (x, y), width and height, in pixels. */
public record Region(int x, int y, int width, int height) {

  public Region {
    if (x < 0 || y < 0 || width <= 0 || height <= 0) {
      throw new IllegalArgumentException("invalid region x=" + x + " y=" + y + " " + width + "x" + height);
    }
  }

  public boolean fitsIn(int imageHeight, int imageWidth) {
    return x + width <= imageWidth && y + height <= imageHeight;
  }
}
