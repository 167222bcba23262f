package dev.distill.udf.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A garbage collection between the forward and the backward pass, with the freed memory reused
 * (NaN written into new direct buffers of the same size), leaves ScalarOps' gradients right; DJL's
 * own {@code x.mul(10f)} under the same conditions reads the freed number, which is why ScalarOps exists.
 */
class ScalarOpsTest {
  private static final int TRIES = 5;
  private static NDManager base;

  @BeforeAll
  static void start() {
    // glibc's malloc hands the freed buffer to the next allocation of its size; jemalloc keeps it in
    // the freeing thread's cache, so under jemalloc neither test below could see the problem.
    assumeThat(String.valueOf(System.getenv("LD_PRELOAD"))).as("LD_PRELOAD").doesNotContain("jemalloc");
    base = NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  @AfterAll
  static void stop() {
    base.close();
  }

  @Test
  void gradientsSurviveAGarbageCollectionBeforeTheBackwardPass() throws InterruptedException {
    assertThat(wrongGradients(x -> ScalarOps.mul(x, 10f), 10f)).as("ScalarOps.mul").isZero();
    assertThat(wrongGradients(x -> ScalarOps.div(x, 4f), 0.25f)).as("ScalarOps.div").isZero();
  }

  @Test
  void djlsOwnScalarOpLosesItsNumberUnderTheSameConditions() throws InterruptedException {
    // If this starts failing, DJL copies or keeps the number now, and ScalarOps can go.
    assertThat(wrongGradients(x -> x.mul(10f), 10f)).as("x.mul(10f), tries of " + TRIES).isPositive();
  }

  /** Of TRIES backward passes of sum(op(w)), how many gave a gradient other than {@code expected}. */
  private static int wrongGradients(UnaryOperator<NDArray> op, float expected) throws InterruptedException {
    int wrong = 0;
    for (int t = 0; t < TRIES; t++) {
      try (NDManager step = base.newSubManager()) {
        NDArray w = step.create(new float[] {1f, 2f, 3f});
        w.setRequiresGradient(true);
        List<ByteBuffer> reuse = new ArrayList<>();
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray y = op.apply(w).sum();
          System.gc();
          Thread.sleep(20); // the reference handler frees unreachable direct buffers
          for (int i = 0; i < 64; i++) {
            reuse.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, Float.NaN));
          }
          collector.backward(y);
        }
        for (float g : w.getGradient().toFloatArray()) {
          if (g != expected) {
            wrong++;
            break;
          }
        }
      }
    }
    return wrong;
  }
}
