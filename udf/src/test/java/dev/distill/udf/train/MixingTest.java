package dev.distill.udf.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * MixUp blends each image with its partner by one λ from Beta(0.8, 0.8); its targets interpolate the
 * stored logits before softening (INFER), CutMix's mix the softened labels (RDED); both targets
 * sum to one.
 */
class MixingTest {

  @Test
  void mixUpBlendsImagesWithOneLambdaAndItsLambdasFollowBetaPointEight() {
    float[] batch = {0, 0, 1, 1, 2, 2};
    CutMix.Mix mix = Mixing.MIXUP.apply(batch, 3, 1, 1, 2, new SplittableRandom(4));
    float l = (float) mix.lambda();
    float[] source = {0, 1, 2};
    for (int i = 0; i < 3; i++) {
      float expected = l * source[i] + (1 - l) * source[mix.partner()[i]];
      assertThat(batch[2 * i]).isCloseTo(expected, within(1e-6f));
      assertThat(batch[2 * i + 1]).isCloseTo(expected, within(1e-6f));
    }
    // Beta(0.8, 0.8): mean 1/2, variance αβ / ((α+β)²(α+β+1)) = 0.64 / (2.56 · 2.6) = 0.0962.
    SplittableRandom r = new SplittableRandom(9);
    double sum = 0;
    double squares = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double lambda = Mixing.MIXUP.apply(new float[2], 2, 1, 1, 1, r).lambda();
      assertThat(lambda).isBetween(0.0, 1.0);
      sum += lambda;
      squares += lambda * lambda;
    }
    double mean = sum / n;
    assertThat(mean).isCloseTo(0.5, within(0.01));
    assertThat(squares / n - mean * mean).isCloseTo(0.0962, within(0.004));
  }

  @Test
  void interpolatedLabelsSumToOneAndMixUpInterpolatesLogitsBeforeSoftening() {
    float[] logits = {4, 0, 0, 0, 0, 4};
    float[] out = new float[3];
    Mixing.MIXUP.target(logits, 0, 1, 3, 0.5, 1f, out, 0);
    assertThat(out[0] + out[1] + out[2]).isCloseTo(1f, within(1e-6f));
    // mixed logits (2, 0, 2): softmax = (e², 1, e²) / (2e² + 1)
    double e2 = Math.exp(2);
    assertThat((double) out[0]).isCloseTo(e2 / (2 * e2 + 1), within(1e-6));
    assertThat((double) out[1]).isCloseTo(1 / (2 * e2 + 1), within(1e-6));

    Mixing.CUTMIX.target(logits, 0, 1, 3, 0.25, 1f, out, 0);
    assertThat(out[0] + out[1] + out[2]).isCloseTo(1f, within(1e-6f));
    double own = e2 * e2 / (e2 * e2 + 2);
    double rest = 1 / (e2 * e2 + 2);
    assertThat((double) out[0]).isCloseTo(0.25 * own + 0.75 * rest, within(1e-6));
    assertThat((double) out[2]).isCloseTo(0.25 * rest + 0.75 * own, within(1e-6));
  }
}
