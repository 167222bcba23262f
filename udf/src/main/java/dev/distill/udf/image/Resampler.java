package dev.distill.udf.image;

/**
 * Bilinear resampling with a triangle filter whose support widens when shrinking (antialiasing),
 * as Pillow and torchvision's antialiased resize do.
 *
 * <p>Written here rather than taken from Java2D because the crop-then-resize of RDED must be
 * bit-identical on every executor and JVM (determinism), must read a sub-region without copying,
 * and Java2D's bilinear does not antialias on downscale.
 */
public final class Resampler {
  private Resampler() {}

  /** Resizes the square {@code box} of {@code src} to {@code side}×{@code side}. */
  public static PixelImage cropResize(PixelImage src, CropBox box, int side) {
    return cropResize(src, new Region(box.x(), box.y(), box.side(), box.side()), side, side);
  }

  /** Resizes {@code region} of {@code src} to height × width. */
  public static PixelImage cropResize(PixelImage src, Region region, int height, int width) {
    if (!region.fitsIn(src.height(), src.width())) {
      throw new IllegalArgumentException(region + " does not fit a " + src.height() + "x" + src.width() + " image");
    }
    return resize(src, region.x(), region.y(), region.width(), region.height(), width, height);
  }

  /** Resizes the whole image to height × width. */
  public static PixelImage resize(PixelImage src, int height, int width) {
    return resize(src, 0, 0, src.width(), src.height(), width, height);
  }

  private static PixelImage resize(
      PixelImage src, int x0, int y0, int inW, int inH, int outW, int outH) {
    Filter fx = Filter.of(inW, outW);
    Filter fy = Filter.of(inH, outH);
    int c = src.channels();
    byte[] out = new byte[c * outH * outW];
    float[] rows = new float[inH * outW];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < inH; y++) {
        int rowBase = (ch * src.height() + y0 + y) * src.width() + x0;
        for (int ox = 0; ox < outW; ox++) {
          float acc = 0;
          for (int k = 0; k < fx.count[ox]; k++) {
            acc += fx.weights[ox][k] * (src.data()[rowBase + fx.start[ox] + k] & 0xFF);
          }
          rows[y * outW + ox] = acc;
        }
      }
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          float acc = 0;
          for (int k = 0; k < fy.count[oy]; k++) {
            acc += fy.weights[oy][k] * rows[(fy.start[oy] + k) * outW + ox];
          }
          out[(ch * outH + oy) * outW + ox] = (byte) Math.max(0, Math.min(255, Math.round(acc)));
        }
      }
    }
    return new PixelImage(c, outH, outW, out);
  }

  /** Per output pixel: first input index, tap count and normalised weights. */
  private static final class Filter {
    final int[] start;
    final int[] count;
    final float[][] weights;

    private Filter(int n) {
      start = new int[n];
      count = new int[n];
      weights = new float[n][];
    }

    static Filter of(int in, int out) {
      Filter f = new Filter(out);
      double scale = (double) in / out;
      double filterScale = Math.max(scale, 1.0);
      double support = filterScale; // triangle filter has support 1, widened when shrinking
      for (int i = 0; i < out; i++) {
        double centre = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(centre - support));
        int hi = Math.min(in, (int) Math.ceil(centre + support));
        double[] w = new double[hi - lo];
        double total = 0;
        for (int j = lo; j < hi; j++) {
          double t = Math.abs((j + 0.5 - centre) / filterScale);
          w[j - lo] = t < 1 ? 1 - t : 0;
          total += w[j - lo];
        }
        f.start[i] = lo;
        f.count[i] = hi - lo;
        f.weights[i] = new float[hi - lo];
        for (int k = 0; k < w.length; k++) {
          f.weights[i][k] = (float) (total > 0 ? w[k] / total : 0);
        }
      }
      return f;
    }
  }
}
