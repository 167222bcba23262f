package dev.distill.udf.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResamplerTest {

  static PixelImage gradient(int side) {
    PixelImage img = PixelImage.blank(1, side, side);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.set(0, y, x, (x * 7 + y * 3) % 256);
      }
    }
    return img;
  }

  @Test
  void sameSizeIsTheIdentity() {
    PixelImage img = gradient(16);
    assertThat(Resampler.resize(img, 16, 16)).isEqualTo(img);
  }

  @Test
  void cropAtFullSizeCopiesTheRegion() {
    PixelImage img = gradient(16);
    PixelImage crop = Resampler.cropResize(img, new CropBox(4, 2, 8), 8);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        assertThat(crop.get(0, y, x)).isEqualTo(img.get(0, y + 2, x + 4));
      }
    }
  }

  @Test
  void halvingAveragesPixelPairs() {
    PixelImage stripes = PixelImage.blank(1, 4, 4);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        stripes.set(0, y, x, x % 2 == 0 ? 200 : 100);
      }
    }
    PixelImage half = Resampler.resize(stripes, 2, 2);
    // Antialiased: neighbouring stripes blend towards 150 instead of aliasing to 200 or 100.
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        assertThat(half.get(0, y, x)).isBetween(140, 160);
      }
    }
  }

  @Test
  void constantImageStaysConstantWhenUpscaled() {
    PixelImage flat = PixelImage.blank(3, 5, 5);
    java.util.Arrays.fill(flat.data(), (byte) 77);
    PixelImage big = Resampler.resize(flat, 13, 13);
    for (byte b : big.data()) {
      assertThat(b & 0xFF).isEqualTo(77);
    }
  }
}
