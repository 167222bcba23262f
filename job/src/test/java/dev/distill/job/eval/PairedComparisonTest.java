package dev.distill.job.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** IOR: the paired t-test and interval, against values worked by hand. */
class PairedComparisonTest {
  @Test
  void matchesAHandComputedPairedTTest() {
    // differences 0.02, 0.01, 0.01, 0.03, 0.01: mean 0.016, sd √(3.2e-4 / 4) = 0.0089443,
    // se 0.004, t = 4.0 on 4 df → two-sided p = 0.016130; t(0.975, 4) = 2.776445.
    PairedComparison c = PairedComparison.of(new double[] {0.80, 0.82, 0.81, 0.83, 0.79},
        new double[] {0.78, 0.81, 0.80, 0.80, 0.78});
    assertThat(c.n()).isEqualTo(5);
    assertThat(c.meanDifference()).isCloseTo(0.016, within(1e-12));
    assertThat(c.std()).isCloseTo(0.0089443, within(1e-6));
    assertThat(c.pValue()).isCloseTo(0.016130, within(1e-5));
    assertThat(c.ciLow()).isCloseTo(0.016 - 2.776445 * 0.004, within(1e-6));
    assertThat(c.ciHigh()).isCloseTo(0.016 + 2.776445 * 0.004, within(1e-6));
  }

  @Test
  void identicalArmsHaveNoEvidenceAndShortSeriesAreRefused() {
    assertThat(PairedComparison.of(new double[] {0.5, 0.6}, new double[] {0.5, 0.6}).pValue()).isEqualTo(1.0);
    assertThatThrownBy(() -> PairedComparison.of(new double[] {0.5}, new double[] {0.4}))
        .hasMessageContaining("at least 2 values");
  }
}
