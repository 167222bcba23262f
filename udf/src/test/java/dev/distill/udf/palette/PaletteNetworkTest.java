package dev.distill.udf.palette;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.train.ImageSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PaletteNetworkTest {

  @Test
  void lossesMatchHandComputedValues() {
    try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      var sharp = nd.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 2)); // each bucket owns one pixel
      var flat = nd.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new Shape(1, 2, 2));
      assertThat(PaletteLosses.maxColour(sharp).getFloat()).isCloseTo(-1f, within(1e-6f));
      assertThat(PaletteLosses.maxColour(flat).getFloat()).isCloseTo(-0.5f, within(1e-6f));
      assertThat(PaletteLosses.balance(sharp).getFloat()).isCloseTo((float) -Math.log(2), within(1e-6f));
      var lopsided = nd.create(new float[] {1, 1, 0, 0}, new Shape(1, 2, 2)); // bucket 0 takes everything
      assertThat(PaletteLosses.balance(lopsided).getFloat()).isCloseTo(0f, within(1e-6f));

      // Two sampled pixels: the soft h says "maybe the same bucket", median cut says "different".
      var oneHot = nd.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 2));
      var uniform = nd.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new Shape(1, 2, 2));
      double r = 1 / Math.sqrt(2);
      double expected = (2 * (r - 1) * (r - 1) + 2 * r * r) / 2;
      assertThat(PaletteLosses.alignment(uniform, oneHot).getFloat()).isCloseTo((float) expected, within(1e-5f));
      var swapped = nd.create(new float[] {0, 1, 1, 0}, new Shape(1, 2, 2)); // same partition, other numbering
      assertThat(PaletteLosses.alignment(swapped, oneHot).getFloat()).isCloseTo(0f, within(1e-6f));

      var reference = nd.create(new float[] {0, 0}, new Shape(1, 2));
      var logits = nd.create(new float[] {(float) Math.log(3), 0}, new Shape(1, 2));
      double kl = 0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25);
      assertThat(PaletteLosses.task(logits, reference).getFloat()).isCloseTo((float) kl, within(1e-6f));
      assertThat(PaletteLosses.task(reference, reference).getFloat()).isCloseTo(0f, within(1e-7f));
    }
  }

  @Test
  void trainingLowersTheColourLossesAndQuantisesToAtMostKColours() {
    ImageSet images = fourLevels(24, 12);
    PaletteTrainer.Options options = new PaletteTrainer.Options(4, 64, 120, 12, 0.05f, 0.5f, 5e-4f, 0.3,
        1f, 1f, 3f, 0f, 7);
    PaletteTrainer.Result result = new PaletteTrainer(options, Device.cpu()).train(images, null, null);
    float[] first = result.lossByTenth().get(0);
    float[] last = result.lossByTenth().get(result.lossByTenth().size() - 1);
    assertThat(last[0]).as("total loss").isLessThan(first[0]);
    assertThat(last[4]).as("alignment to median cut").isLessThan(first[4]);
    for (int i = 0; i < images.size(); i++) {
      PaletteImage q = result.network().quantise(images.image(i));
      assertThat(q.colours()).isBetween(1, 4);
      assertThat(result.network().quantise(images.image(i))).isEqualTo(q);
      // Each stored colour is the mean of the pixels assigned to it.
      PixelImage back = q.toPixels();
      assertThat(back.channels()).isEqualTo(1);
    }
    double network = 0;
    double medianCut = 0;
    for (int i = 0; i < images.size(); i++) {
      network += MedianCutTest.squaredError(images.image(i), result.network().quantise(images.image(i)).toPixels());
      medianCut += MedianCutTest.squaredError(images.image(i), MedianCut.quantise(images.image(i), 4).toPixels());
    }
    System.out.printf("palette network vs median cut, squared error: %.0f vs %.0f%n", network, medianCut);
    assertThat(network).isLessThan(3 * medianCut + 1);
  }

  @Test
  void meanColoursRenumbersUsedBucketsAndAverages() {
    PixelImage img = MedianCutTest.gray(1, 4, 10, 20, 200, 100);
    PaletteImage q = PaletteNetwork.meanColours(img, new byte[] {3, 3, 1, 1}, 4);
    assertThat(q.colours()).isEqualTo(2);
    assertThat(q.colour(0, 0)).isEqualTo(150); // bucket 1: 200, 100
    assertThat(q.colour(1, 0)).isEqualTo(15); // bucket 3: 10, 20
    assertThat(q.indices()).containsExactly(1, 1, 0, 0);
  }

  /** Gray images whose pixels sit near four levels, in random places. */
  static ImageSet fourLevels(int count, int side) {
    ImageSet set = new ImageSet(1, side, side);
    SplittableRandom r = new SplittableRandom(3);
    int[] levels = {20, 90, 160, 230};
    for (int i = 0; i < count; i++) {
      byte[] px = new byte[side * side];
      for (int p = 0; p < px.length; p++) {
        px[p] = (byte) (levels[r.nextInt(4)] + r.nextInt(-8, 9));
      }
      set.add(px, 0);
    }
    return set;
  }
}
