package dev.distill.udf.palette;

import dev.distill.udf.image.PixelImage;
import java.io.Serializable;

/**
 * AutoPalette's palette network as trained weights (the official {@code color_cnn}): a per-pixel MLP,
 * 1×1 conv C → hidden + ReLU, then 1×1 conv hidden → K without bias, softmax over K. It has no
 * spatial context: a pixel's colour bucket depends on its colour alone, so the network is one
 * learned partition of colour space shared by every image. Storing uses the hard assignment: each
 * pixel takes its argmax bucket, each bucket the mean colour of its pixels (paper eqs. 4–5).
 *
 * <p>Inference here is plain Java (about 1 MFLOP for a 28-pixel image at K = 4): no model to ship to
 * executors, and the same argmax on every JVM for the same weights.
 *
 * @param w1 hidden × C, row-major
 * @param b1 hidden
 * @param w2 K × hidden, row-major
 */
public record PaletteNetwork(int channels, int hidden, int colours, float[] w1, float[] b1, float[] w2)
    implements Serializable {

  public PaletteNetwork {
    if (w1.length != hidden * channels || b1.length != hidden || w2.length != colours * hidden) {
      throw new IllegalArgumentException("weights do not match " + channels + " → " + hidden + " → " + colours);
    }
  }

  /** Pixel value v (0..255) as the network sees it: (v / 255 − ½) / ½. */
  static float input(int value) {
    return (value / 255f - 0.5f) / 0.5f;
  }

  /** The hard palette image: argmax bucket per pixel, each bucket's mean colour. */
  public PaletteImage quantise(PixelImage image) {
    int plane = image.height() * image.width();
    byte[] assignment = new byte[plane];
    float[] x = new float[channels];
    float[] h = new float[hidden];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < channels; c++) {
        x[c] = input(image.data()[c * plane + p] & 0xFF);
      }
      for (int j = 0; j < hidden; j++) {
        float a = b1[j];
        for (int c = 0; c < channels; c++) {
          a += w1[j * channels + c] * x[c];
        }
        h[j] = Math.max(0, a);
      }
      int best = 0;
      float bestLogit = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < colours; k++) {
        float z = 0;
        for (int j = 0; j < hidden; j++) {
          z += w2[k * hidden + j] * h[j];
        }
        if (z > bestLogit) {
          bestLogit = z;
          best = k;
        }
      }
      assignment[p] = (byte) best;
    }
    return meanColours(image, assignment, colours);
  }

  /**
   * The palette image of {@code assignment}: each used bucket's colour is the rounded mean of its
   * pixels; buckets no pixel uses are dropped and the rest renumbered in order.
   */
  static PaletteImage meanColours(PixelImage image, byte[] assignment, int colours) {
    int plane = image.height() * image.width();
    int channels = image.channels();
    long[][] sums = new long[colours][channels];
    int[] counts = new int[colours];
    for (int p = 0; p < plane; p++) {
      int k = assignment[p];
      counts[k]++;
      for (int c = 0; c < channels; c++) {
        sums[k][c] += image.data()[c * plane + p] & 0xFF;
      }
    }
    int[] renumber = new int[colours];
    int used = 0;
    for (int k = 0; k < colours; k++) {
      renumber[k] = counts[k] > 0 ? used++ : -1;
    }
    byte[] palette = new byte[used * channels];
    for (int k = 0; k < colours; k++) {
      if (counts[k] > 0) {
        for (int c = 0; c < channels; c++) {
          palette[renumber[k] * channels + c] = (byte) Math.round(sums[k][c] / (double) counts[k]);
        }
      }
    }
    byte[] indices = new byte[plane];
    for (int p = 0; p < plane; p++) {
      indices[p] = (byte) renumber[assignment[p]];
    }
    return new PaletteImage(channels, image.height(), image.width(), palette, indices);
  }
}
