package dev.distill.udf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Observers and students start from PyTorch's defaults, as the reference implementations do. */
class TorchDefaultInitTest {
  private static List<float[]> initialised(String arch, long seed, List<String> names, List<Long> fans) {
    try (Model model = Model.newInstance("init", "PyTorch"); NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = new Architecture(arch).newBlock(1, 28, 28, 10);
      block.setInitializer(Initializer.ONES, Parameter.Type.WEIGHT);
      block.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
      TorchDefaultInit.apply(block, seed);
      List<float[]> out = new ArrayList<>();
      for (Pair<String, Parameter> p : block.getParameters()) {
        Parameter.Type t = p.getValue().getType();
        long[] shape = p.getValue().getArray().getShape().getShape();
        if ((t == Parameter.Type.WEIGHT && shape.length >= 2) || t == Parameter.Type.BIAS) {
          names.add(p.getKey());
          long fan = 1;
          for (int i = 1; i < shape.length; i++) {
            fan *= shape[i];
          }
          fans.add(fan);
          out.add(p.getValue().getArray().toFloatArray());
        }
      }
      return out;
    }
  }

  @Test
  void weightsHaveTheStdAndBiasesTheRangeOfPyTorchDefaults() {
    List<String> names = new ArrayList<>();
    List<Long> fans = new ArrayList<>();
    List<float[]> values = initialised("convnet3", 7, names, fans);
    assertThat(names).anyMatch(n -> n.endsWith("_weight")).anyMatch(n -> n.endsWith("_bias"));
    long weightFan = 0;
    for (int i = 0; i < names.size(); i++) {
      float[] v = values.get(i);
      if (names.get(i).endsWith("_weight")) {
        weightFan = fans.get(i);
        double mean = 0;
        for (float x : v) {
          mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
          var += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(var / v.length);
        assertThat(std).as(names.get(i)).isCloseTo(1 / Math.sqrt(3.0 * fans.get(i)), within(0.03 / Math.sqrt(3.0 * fans.get(i))));
      } else {
        double bound = 1 / Math.sqrt(weightFan); // a bias follows its layer's weight
        double largest = 0;
        for (float x : v) {
          largest = Math.max(largest, Math.abs(x));
        }
        assertThat(largest).as(names.get(i)).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
      }
    }
  }

  @Test
  void theSeedFixesEveryValue() {
    List<float[]> a = initialised("resnet18", 1, new ArrayList<>(), new ArrayList<>());
    List<float[]> b = initialised("resnet18", 1, new ArrayList<>(), new ArrayList<>());
    List<float[]> c = initialised("resnet18", 2, new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).isEqualTo(b.get(i));
    }
    assertThat(a.get(0)).isNotEqualTo(c.get(0));
  }
}
