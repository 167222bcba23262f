package dev.distill.udf.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.distill.udf.random.StableRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation, which every published number in the papers was trained from:
 * conv and linear weights from kaiming_uniform(a = √5), i.e. U(−1/√fan_in, 1/√fan_in) (standard
 * deviation 1/√(3·fan_in)), and their biases from the same range; normalisation layers keep γ = 1,
 * β = 0. DJL's own default (N(0, 2/fan_in), zero bias) starts weights ≈ 2.4× larger.
 *
 * <p>Values come from a seeded Java generator keyed by (seed, parameter name), not from libtorch's
 * generator: the same seed gives the same weights whatever order parameters are visited in, and on
 * any device or engine build.
 */
public final class TorchDefaultInit {
  private TorchDefaultInit() {}

  /** Re-initialises an already initialised block's conv/linear weights and biases in place. */
  public static void apply(Block block, long seed) {
    Map<String, Long> fanIn = new HashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().getType() == Parameter.Type.WEIGHT && p.getValue().getArray().getShape().dimension() >= 2) {
        long[] shape = p.getValue().getArray().getShape().getShape();
        long fan = 1;
        for (int i = 1; i < shape.length; i++) {
          fan *= shape[i];
        }
        fanIn.put(stem(p.getKey(), "_weight"), fan);
      }
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter.Type type = p.getValue().getType();
      String name = p.getKey();
      Long fan = type == Parameter.Type.WEIGHT ? fanIn.get(stem(name, "_weight"))
          : type == Parameter.Type.BIAS ? fanIn.get(stem(name, "_bias")) : null;
      if (fan != null) {
        uniform(p.getValue().getArray(), 1.0 / Math.sqrt(fan), StableRandom.of(seed, "torch-init", name));
      }
    }
  }

  private static String stem(String name, String suffix) {
    return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
  }

  private static void uniform(NDArray array, double bound, SplittableRandom random) {
    float[] values = new float[Math.toIntExact(array.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
    array.set(values);
  }
}
