package dev.distill.udf.random;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StableRandomTest {

  @Test
  void keyDependsOnSeedStageAndRecordOnly() {
    long k = StableRandom.key(1, "pool", "a");
    assertThat(StableRandom.key(1, "pool", "a")).isEqualTo(k);
    assertThat(StableRandom.key(2, "pool", "a")).isNotEqualTo(k);
    assertThat(StableRandom.key(1, "crop", "a")).isNotEqualTo(k);
    assertThat(StableRandom.key(1, "pool", "b")).isNotEqualTo(k);
    // "ab" + "c" must not collide with "a" + "bc": the stage and id are separated.
    assertThat(StableRandom.key(1, "ab", "c")).isNotEqualTo(StableRandom.key(1, "a", "bc"));
  }
}
