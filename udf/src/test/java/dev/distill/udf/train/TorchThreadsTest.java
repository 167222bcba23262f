package dev.distill.udf.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

/** A training task with more cores raises libtorch's threads while it runs, and never lowers them. */
class TorchThreadsTest {
  @Test
  void raisesForTheTaskAndRestoresAfter() {
    try (TorchThreads outer = TorchThreads.atLeast(1)) {
      int before = JniUtils.getNumThreads();
      try (TorchThreads t = TorchThreads.atLeast(before + 2)) {
        assertThat(JniUtils.getNumThreads()).isEqualTo(before + 2);
      }
      assertThat(JniUtils.getNumThreads()).isEqualTo(before);
      try (TorchThreads t = TorchThreads.atLeast(Math.max(1, before - 1))) {
        assertThat(JniUtils.getNumThreads()).isEqualTo(before);
      }
    }
  }
}
