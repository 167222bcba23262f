package dev.distill.udf.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.initializer.NormalInitializer;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.ConvNet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compensator's loss falls on a tiny BatchNorm ConvNet, only the compensator changes (the
 * teacher stays frozen), the same seed gives the same compensator, and the circular shift is one.
 */
class CompensatorTrainerTest {
  private static final int CLASSES = 3;
  private static final int SIDE = 8;

  @Test
  void theLossFallsTheTeacherStaysFrozenAndTheSameSeedGivesTheSameCompensator() {
    float[] naturals = new float[CLASSES * SIDE * SIDE];
    Random r = new Random(5);
    for (int i = 0; i < naturals.length; i++) {
      naturals[i] = r.nextFloat();
    }
    CompensatorTrainer.Options options = new CompensatorTrainer.Options(100, 0.25f, 1f, 10f, 1, 7);
    try (Model model = Model.newInstance("teacher", Device.cpu(), "PyTorch")) {
      SequentialBlock net = ConvNet.build(2, 8, SIDE, CLASSES, false);
      net.setInitializer(new NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
      model.setBlock(net);
      net.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(CLASSES, 1, SIDE, SIDE));
      float[] before = weights(net);
      Normalization norm = new Normalization(new float[] {0.5f}, new float[] {0.5f});
      CompensatorTrainer.Result a = new CompensatorTrainer(options)
          .train(naturals, CLASSES, 1, SIDE, SIDE, net, norm, model.getNDManager(), "slot0/t0");
      CompensatorTrainer.Result b = new CompensatorTrainer(options)
          .train(naturals, CLASSES, 1, SIDE, SIDE, net, norm, model.getNDManager(), "slot0/t0");

      float[] first = a.lossByTenth().get(0);
      float[] last = a.lossByTenth().get(a.lossByTenth().size() - 1);
      assertThat(a.lossByTenth()).hasSize(10);
      assertThat(last[0]).as("total loss, last vs first tenth").isLessThan(first[0] * 0.7f);
      assertThat(last[2]).as("BatchNorm term").isLessThan(first[2]);
      assertThat(a.compensator()).hasSize(SIDE * SIDE).isEqualTo(b.compensator());
      assertThat(maxAbs(a.compensator())).isPositive();
      assertThat(weights(net)).as("the teacher's parameters").isEqualTo(before);
    }
  }

  @Test
  void rollIsACircularShift() {
    try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = nd.arange(0f, 6f).reshape(1, 1, 2, 3);
      assertThat(CompensatorTrainer.roll(x, 1, 3).toFloatArray()).containsExactly(2, 0, 1, 5, 3, 4);
      assertThat(CompensatorTrainer.roll(x, -1, 2).toFloatArray()).containsExactly(3, 4, 5, 0, 1, 2);
      assertThat(CompensatorTrainer.roll(x, 3, 3).toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5);
    }
  }

  private static float[] weights(SequentialBlock net) {
    return net.getParameters().values().stream().map(p -> p.getArray().toFloatArray())
        .reduce(new float[0], (x, y) -> {
          float[] z = java.util.Arrays.copyOf(x, x.length + y.length);
          System.arraycopy(y, 0, z, x.length, y.length);
          return z;
        });
  }

  private static float maxAbs(float[] v) {
    float m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
