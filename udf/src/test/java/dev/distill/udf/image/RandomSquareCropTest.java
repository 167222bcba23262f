package dev.distill.udf.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.udf.random.StableRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomSquareCropTest {

  @Test
  void boxesAreSquareInsideTheImageAndCoverTheConfiguredAreaRange() {
    RandomSquareCrop crop = new RandomSquareCrop(0.08, 1.0);
    SplittableRandom random = new SplittableRandom(7);
    int smallest = Integer.MAX_VALUE;
    int largest = 0;
    for (int i = 0; i < 2000; i++) {
      CropBox box = crop.sample(28, 28, random);
      assertThat(box.fitsIn(28, 28)).isTrue();
      double area = (double) box.side() * box.side() / (28 * 28);
      assertThat(area).isBetween(0.06, 1.0); // rounding the side moves the area a little
      smallest = Math.min(smallest, box.side());
      largest = Math.max(largest, box.side());
    }
    assertThat(smallest).isLessThanOrEqualTo(9); // sqrt(0.08) * 28 ≈ 7.9
    assertThat(largest).isEqualTo(28);
  }

  @Test
  void sameSeedStageAndRecordGiveTheSameBoxes() {
    RandomSquareCrop crop = new RandomSquareCrop(0.08, 1.0);
    SplittableRandom a = StableRandom.of(3, "crop", "img-1");
    SplittableRandom b = StableRandom.of(3, "crop", "img-1");
    SplittableRandom c = StableRandom.of(3, "crop", "img-2");
    boolean differs = false;
    for (int i = 0; i < 5; i++) {
      CropBox x = crop.sample(32, 32, a);
      assertThat(crop.sample(32, 32, b)).isEqualTo(x);
      differs |= !crop.sample(32, 32, c).equals(x);
    }
    assertThat(differs).isTrue();
  }

  @Test
  void fullScaleCropIsTheWholeImage() {
    CropBox box = new RandomSquareCrop(1.0, 1.0).sample(20, 20, new SplittableRandom(1));
    assertThat(box).isEqualTo(new CropBox(0, 0, 20));
  }

  @Test
  void rejectsAnInvalidScaleRange() {
    assertThatThrownBy(() -> new RandomSquareCrop(0.5, 0.2)).hasMessageContaining("0 < min <= max <= 1");
  }
}
