package dev.distill.udf.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void aLineSaysDoneOfTotalTheRateAndTheTimeLeft() {
    Progress p = new Progress("observer convnet3", "images", 1000, 60);
    p.advance(250);
    // 250 images in 10 s: 25 a second, so the 750 left take 30 s.
    assertThat(p.line(p.start() + 10_000_000_000L)).isEqualTo("observer convnet3: 250/1,000 images (25 images/s), 0:30 left");
  }
}
