package dev.distill.udf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchitectureTest {

  /** The head's input width says the feature map is what the reference networks produce. */
  @ParameterizedTest
  @CsvSource({
    "convnet3, 1, 28, 2048", // 128 · 4 · 4: padding 3 makes 28 px behave as 32
    "convnet4, 3, 32, 512",  // 128 · 2 · 2
    "convnet3-in, 1, 28, 2048",
    "resnet18, 1, 28, 512",
    "resnet18, 3, 32, 512",
    "mobilenet, 1, 28, 256",
    "mobilenet, 3, 32, 256"
  })
  void buildsForGrayAndColourInputs(String name, int channels, int size, long features) {
    Block block = new Architecture(name).newBlock(channels, size, size, 10);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      block.initialize(manager, DataType.FLOAT32, new Shape(2, channels, size, size));
      NDList out = block.forward(new ParameterStore(manager, false),
          new NDList(manager.randomNormal(new Shape(2, channels, size, size))), false);
      assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(2, 10));
      Block head = block.getChildren().get(block.getChildren().size() - 1).getValue();
      assertThat(head.getParameters().get("weight").getArray().getShape()).isEqualTo(new Shape(10, features));
    }
  }

  @Test
  void instanceNormNormalisesEachImageChannelOnItsOwn() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      InstanceNorm norm = new InstanceNorm();
      norm.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 4, 4));
      NDArray x = manager.randomNormal(5, 3, new Shape(2, 3, 4, 4), DataType.FLOAT32);
      NDArray y = norm.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow()
          .reshape(6, 16);
      // gamma = 1, beta = 0 at initialisation: every (image, channel) has mean 0 and variance 1
      for (float mean : y.mean(new int[] {1}).toFloatArray()) {
        assertThat(mean).isCloseTo(0f, within(1e-4f));
      }
      for (float var : y.square().mean(new int[] {1}).toFloatArray()) {
        assertThat(var).isCloseTo(1f, within(1e-3f));
      }
    }
  }

  @Test
  void unknownNamesAreRejectedWithTheAllowedList() {
    assertThatThrownBy(() -> new Architecture("convnet9")).hasMessageContaining(Architecture.ALLOWED);
  }
}
