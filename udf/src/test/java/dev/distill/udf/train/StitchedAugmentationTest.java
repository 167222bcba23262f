package dev.distill.udf.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distill.udf.image.PixelImage;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StitchedAugmentationTest {

  /** A 2×2 grid of flat tiles: 10, 20 / 30, 40. */
  private static PixelImage quadrants(int side) {
    PixelImage img = PixelImage.blank(1, side, side);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.set(0, y, x, 10 * (1 + (y < side / 2 ? 0 : 2) + (x < side / 2 ? 0 : 1)));
      }
    }
    return img;
  }

  @Test
  void factorOneLeavesTheImageAndTheRandomStreamAlone() {
    PixelImage img = quadrants(8);
    SplittableRandom a = new SplittableRandom(5);
    assertThat(new StitchedAugmentation(1).apply(img, a)).isSameAs(img);
    assertThat(a.nextLong()).isEqualTo(new SplittableRandom(5).nextLong());
  }

  @Test
  void shufflingSwapsWholeStripsAndReachesEveryRowAndColumnOrder() {
    StitchedAugmentation augmentation = new StitchedAugmentation(2);
    SplittableRandom random = new SplittableRandom(1);
    Set<String> layouts = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      PixelImage out = augmentation.shuffleStrips(quadrants(8), random);
      // each quadrant is still one flat tile, and rows/columns of tiles moved together
      int tl = out.get(0, 0, 0);
      int tr = out.get(0, 0, 7);
      int bl = out.get(0, 7, 0);
      int br = out.get(0, 7, 7);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          assertThat(out.get(0, y, x)).isEqualTo(y < 4 ? (x < 4 ? tl : tr) : (x < 4 ? bl : br));
        }
      }
      assertThat(Math.abs(tl - tr)).isEqualTo(10);
      assertThat(Math.abs(tl - bl)).isEqualTo(20);
      layouts.add(tl + "," + tr + "," + bl + "," + br);
    }
    assertThat(layouts).hasSize(4); // 2 column orders × 2 row orders
  }

  @Test
  void theCropKeepsTheSideAndShowsAtLeastAQuarterOfTheImage() {
    StitchedAugmentation augmentation = new StitchedAugmentation(2);
    SplittableRandom random = new SplittableRandom(3);
    int straddling = 0;
    for (int i = 0; i < 100; i++) {
      PixelImage out = augmentation.apply(quadrants(16), random);
      assertThat(out.height()).isEqualTo(16);
      assertThat(out.width()).isEqualTo(16);
      Set<Integer> tiles = new HashSet<>();
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          tiles.add(out.get(0, y, x));
        }
      }
      // at least a quarter of the area: only an exact, aligned 8×8 crop would show a single tile
      straddling += tiles.size() > 1 ? 1 : 0;
    }
    assertThat(straddling).isGreaterThan(90);
  }
}
