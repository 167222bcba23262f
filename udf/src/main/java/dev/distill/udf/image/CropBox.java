package dev.distill.udf.image;

/** A square region of a source image: top-left corner (x, y) and side length, in pixels. */
public record CropBox(int x, int y, int side) {

  public CropBox {
    if (x < 0 || y < 0 || side <= 0) {
      throw new IllegalArgumentException("invalid crop box x=" + x + " y=" + y + " side=" + side);
    }
  }

  public boolean fitsIn(int height, int width) {
    return x + side <= width && y + side <= height;
  }
}
