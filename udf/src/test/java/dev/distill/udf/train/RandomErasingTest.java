package dev.distill.udf.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomErasingTest {
  private static final int H = 28;
  private static final int W = 28;

  @Test
  void erasesOneRectangleOfTwoToThirtyThreePercentInEveryChannel() {
    for (int seed = 0; seed < 200; seed++) {
      float[] image = ones(2 * H * W + 5);
      RandomErasing.apply(image, 5, 2, H, W, 1.0, new SplittableRandom(seed));
      int[] box = zeroBox(image, 5);
      int area = (box[2] - box[0] + 1) * (box[3] - box[1] + 1);
      assertTrue(area >= 0.02 * H * W - 2 * Math.sqrt(H * W) && area <= H * W / 3.0 + 2 * Math.sqrt(H * W),
          "seed " + seed + ": area " + area);
      assertEquals(area, zeros(image, 5), "seed " + seed + ": the zeros form one filled rectangle");
      for (int i = 0; i < H * W; i++) {
        assertEquals(image[5 + i], image[5 + H * W + i], "both channels erased alike");
      }
      assertEquals(1f, image[4], "values before the offset are not touched");
    }
  }

  @Test
  void probabilityZeroLeavesTheImageAndTheRandomStreamAlone() {
    float[] image = ones(H * W);
    SplittableRandom used = new SplittableRandom(7);
    RandomErasing.apply(image, 0, 1, H, W, 0.0, used);
    assertArrayEquals(ones(H * W), image);
    assertEquals(new SplittableRandom(7).nextLong(), used.nextLong(), "no draw was made");
  }

  @Test
  void sameSeedSameRectangleAndAboutHalfErasedAtOneHalf() {
    float[] a = ones(H * W);
    float[] b = ones(H * W);
    RandomErasing.apply(a, 0, 1, H, W, 1.0, new SplittableRandom(3));
    RandomErasing.apply(b, 0, 1, H, W, 1.0, new SplittableRandom(3));
    assertArrayEquals(a, b);
    int erased = 0;
    for (int seed = 0; seed < 1000; seed++) {
      float[] image = ones(H * W);
      RandomErasing.apply(image, 0, 1, H, W, 0.5, new SplittableRandom(seed));
      erased += zeros(image, 0) > 0 ? 1 : 0;
    }
    assertTrue(erased > 440 && erased < 560, erased + " of 1000 erased at p = 0.5");
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    Arrays.fill(v, 1f);
    return v;
  }

  private static int zeros(float[] image, int offset) {
    int n = 0;
    for (int i = 0; i < H * W; i++) {
      n += image[offset + i] == 0f ? 1 : 0;
    }
    return n;
  }

  /** {top, left, bottom, right} of the zeros in the first channel. */
  private static int[] zeroBox(float[] image, int offset) {
    int[] box = {H, W, -1, -1};
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if (image[offset + y * W + x] == 0f) {
          box[0] = Math.min(box[0], y);
          box[1] = Math.min(box[1], x);
          box[2] = Math.max(box[2], y);
          box[3] = Math.max(box[3], x);
        }
      }
    }
    assertTrue(box[2] >= 0, "something was erased");
    return box;
  }
}
