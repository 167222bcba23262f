package dev.distill.udf.palette;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.udf.image.PixelImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MedianCutTest {

  @Test
  void oneColourIsThePixelWeightedMean() {
    PixelImage img = gray(2, 2, 0, 0, 0, 100); // mean 25
    PaletteImage q = MedianCut.quantise(img, 1);
    assertThat(q.colours()).isEqualTo(1);
    assertThat(q.colour(0, 0)).isEqualTo(25);
  }

  @Test
  void enoughColoursLeaveTheImageUnchanged() {
    PixelImage img = noise(3, 6, 6, 5, 1); // at most 5 distinct colours
    assertThat(MedianCut.quantise(img, 5).toPixels()).isEqualTo(img);
    assertThat(MedianCut.quantise(img, 256).toPixels()).isEqualTo(img);
  }

  @Test
  void twoClustersSplitAtTheGap() {
    // Pixels 10, 12 (three times each) and 200, 204: two boxes, their weighted means.
    PixelImage img = gray(2, 5, 10, 10, 10, 12, 12, 12, 200, 200, 204, 204);
    PaletteImage q = MedianCut.quantise(img, 2);
    assertThat(q.colours()).isEqualTo(2);
    assertThat(q.colour(0, 0)).isEqualTo(11);
    assertThat(q.colour(1, 0)).isEqualTo(202);
    assertThat(q.index(0, 0)).isEqualTo(0);
    assertThat(q.index(1, 4)).isEqualTo(1);
  }

  @Test
  void splitsTheBoxWithMostPixelsAlongItsWidestChannel() {
    // Eight pixels, red spread 0..255, green fixed: the cut is along red at the median pixel.
    byte[] data = new byte[3 * 8];
    int[] reds = {0, 10, 20, 30, 225, 235, 245, 255};
    for (int p = 0; p < 8; p++) {
      data[p] = (byte) reds[p];
      data[8 + p] = (byte) 50;
      data[16 + p] = (byte) (p % 2 * 4);
    }
    PaletteImage q = MedianCut.quantise(new PixelImage(3, 1, 8, data), 2);
    assertThat(new int[] {q.colour(0, 0), q.colour(0, 1), q.colour(0, 2)}).containsExactly(15, 50, 2);
    assertThat(new int[] {q.colour(1, 0), q.colour(1, 1), q.colour(1, 2)}).containsExactly(240, 50, 2);
  }

  @Test
  void neverMoreColoursThanAskedAndDeterministic() {
    PixelImage img = noise(3, 16, 16, 256, 7);
    for (int k : new int[] {2, 3, 4, 8, 16, 64}) {
      PaletteImage q = MedianCut.quantise(img, k);
      assertThat(q.colours()).isEqualTo(k);
      assertThat(MedianCut.quantise(img, k)).isEqualTo(q);
    }
    assertThatThrownBy(() -> MedianCut.quantise(img, 0)).hasMessageContaining("1 to 256");
  }

  @Test
  void moreColoursNeverFitWorse() {
    PixelImage img = noise(1, 16, 16, 256, 3);
    double previous = Double.MAX_VALUE;
    for (int k : new int[] {1, 2, 4, 8, 16}) {
      double err = squaredError(img, MedianCut.quantise(img, k).toPixels());
      assertThat(err).isLessThanOrEqualTo(previous);
      previous = err;
    }
  }

  @Test
  void nearestMapsAnyImageOntoThePalette() {
    PaletteImage q = MedianCut.quantise(gray(2, 5, 10, 10, 10, 12, 12, 12, 200, 200, 204, 204), 2); // 11, 202
    PixelImage other = gray(1, 4, 0, 106, 107, 255);
    assertThat(q.nearest(other)).isEqualTo(gray(1, 4, 11, 11, 202, 202));
  }

  static double squaredError(PixelImage a, PixelImage b) {
    double s = 0;
    for (int i = 0; i < a.data().length; i++) {
      double d = (a.data()[i] & 0xFF) - (b.data()[i] & 0xFF);
      s += d * d;
    }
    return s;
  }

  static PixelImage gray(int h, int w, int... values) {
    byte[] data = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      data[i] = (byte) values[i];
    }
    return new PixelImage(1, h, w, data);
  }

  /** Random pixels drawn from {@code levels} random colours. */
  static PixelImage noise(int channels, int h, int w, int levels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] colours = new int[levels][channels];
    for (int[] c : colours) {
      for (int i = 0; i < channels; i++) {
        c[i] = r.nextInt(256);
      }
    }
    PixelImage img = PixelImage.blank(channels, h, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] c = colours[r.nextInt(levels)];
        for (int i = 0; i < channels; i++) {
          img.set(i, y, x, c[i]);
        }
      }
    }
    return img;
  }
}
