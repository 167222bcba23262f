package dev.distill.udf.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every convolution of every architecture, at the input shape it sees, has the right gradient with
 * respect to its input, with oneDNN free to use its fastest kernels: udf's pom runs this class in a
 * JVM of its own without the AVX2 cap the other tests get, as bin/distill runs the job.
 *
 * <p>Why: libtorch 2.7.1's oneDNN AVX-512 backward-data kernel is wrong (and reads memory it never
 * wrote: NaN now and then) for 3×3 padding-1 convolutions whose filter count is not a multiple of
 * 16, such as the width-8 ConvNets of the unit tests; AVX2 kernels are right. Every layer below a
 * convolution learns through its backward-data pass, and INFER's compensator and AutoPalette's task
 * loss update pixels through it, so this fails (on an AVX-512 machine, as CI's is) if an
 * architecture ever gains such a layer. The check: conv(x) − conv(0) is linear in x, so the input
 * gradient dx of ⟨conv(x), G⟩ satisfies ⟨dx, x⟩ = ⟨conv(x) − conv(0), G⟩.
 */
class ArchitectureGradientTest {
  @ParameterizedTest
  @CsvSource({"convnet3, 1, 28", "convnet3, 3, 32", "convnet4-in, 1, 28", "resnet18, 1, 28", "resnet18, 3, 32",
      "mobilenet, 1, 28", "mobilenet, 3, 32"})
  void everyConvolutionsInputGradientSatisfiesTheAdjointIdentity(String name, int channels, int size) {
    Block net = new Architecture(name).newBlock(channels, size, size, 10);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Engine.getEngine("PyTorch").setRandomSeed(3);
      net.initialize(m, DataType.FLOAT32, new Shape(4, channels, size, size));
      TorchDefaultInit.apply(net, 3);
      List<Convolution> convolutions = new ArrayList<>();
      collect(net, convolutions);
      assertThat(convolutions).as(name + "'s convolutions").isNotEmpty();
      for (Convolution conv : convolutions) {
        Shape input = conv.getInputShapes()[0];
        for (int trial = 0; trial < 3; trial++) {
          float[] sides = adjointSides(conv, input, m);
          assertThat(Math.abs(sides[0] - sides[1]))
              .as("%s: %d filters %s, padding %s, groups %d, input %s: <dx, x> = %s, <conv(x) - conv(0), G> = %s",
                  name, conv.getFilters(), conv.getKernelShape(), conv.getPadding(), conv.getGroups(), input,
                  sides[1], sides[0])
              .isLessThanOrEqualTo(1e-3f * (Math.abs(sides[0]) + Math.abs(sides[1])));
        }
      }
    }
  }

  private static void collect(Block block, List<Convolution> into) {
    if (block instanceof Convolution conv) {
      into.add(conv);
    }
    block.getChildren().values().forEach(child -> collect(child, into));
  }

  /** {⟨conv(x) − conv(0), G⟩, ⟨dx, x⟩} for random x and G. */
  private static float[] adjointSides(Convolution conv, Shape input, NDManager parent) {
    try (NDManager m = parent.newSubManager()) {
      NDArray x = m.randomNormal(input);
      NDArray zero = m.zeros(input);
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray y = forward(conv, x, m);
        NDArray g = m.randomNormal(y.getShape());
        collector.backward(y.mul(g).sum());
        NDArray linear = y.sub(forward(conv, zero, m));
        return new float[] {linear.mul(g).sum().getFloat(), x.getGradient().mul(x).sum().getFloat()};
      }
    }
  }

  private static NDArray forward(Block block, NDArray x, NDManager m) {
    return block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
  }
}
