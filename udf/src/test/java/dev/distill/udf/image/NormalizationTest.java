package dev.distill.udf.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalizationTest {

  @Test
  void smallerImagesAreCentredAndZeroPaddedAfterNormalising() {
    Normalization n = new Normalization(new float[] {0.5f}, new float[] {0.25f});
    PixelImage patch = PixelImage.blank(1, 2, 2);
    java.util.Arrays.fill(patch.data(), (byte) 255);
    float[] out = new float[16];
    java.util.Arrays.fill(out, 9f);
    n.write(patch, 4, 4, out, 0);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        boolean inside = y >= 1 && y < 3 && x >= 1 && x < 3;
        assertThat(out[y * 4 + x]).isCloseTo(inside ? 2f : 0f, within(1e-6f));
      }
    }
  }
}
