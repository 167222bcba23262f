import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;

/**
 * Forward + backward of ConvNet-3's convolutions (28×28 input padded to 32, width 128, ReLU, 2×2
 * average pools; no BatchNorm) at batch 256 with every tensor in one precision: fp32, fp16 or bf16.
 * Prints one JSON object. Run once per precision, in its own JVM (bench/training-speed.sh): DJL
 * 0.35.1's native layer has no bfloat16 type, and asking for one terminates the process.
 */
public class PrecisionProbe {
  public static void main(String[] args) {
    String precision = args[0];
    DataType type = switch (precision) {
      case "fp32" -> DataType.FLOAT32;
      case "fp16" -> DataType.FLOAT16;
      case "bf16" -> DataType.BFLOAT16;
      default -> throw new IllegalArgumentException("fp32, fp16 or bf16, not " + precision);
    };
    int batch = 256;
    int steps = 20;
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(0);
      NDArray x = m.randomNormal(new Shape(batch, 1, 28, 28)).toType(type, false);
      NDArray[] w = {leaf(m, new Shape(128, 1, 3, 3), type), leaf(m, new Shape(128, 128, 3, 3), type),
          leaf(m, new Shape(128, 128, 3, 3), type)};
      long start = 0;
      for (int s = 0; s < steps + 5; s++) {
        if (s == 5) {
          start = System.nanoTime();
        }
        try (NDManager scope = m.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray h = x;
          for (int i = 0; i < 3; i++) {
            int pad = i == 0 ? 3 : 1;
            h = Conv2d.conv2d(h, w[i], null, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
            h = Pool.avgPool2d(Activation.relu(h), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
          }
          collector.backward(h.square().mean());
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("{\"precision\": \"%s\", \"conv_forward_backward_images_per_s\": %.1f}%n", precision,
          steps * batch / seconds);
    }
  }

  /** A weight tensor of {@code type} that autograd tracks (a leaf: DJL's casts do not record grads). */
  private static NDArray leaf(NDManager m, Shape shape, DataType type) {
    NDArray w = m.randomNormal(shape).mul(Math.sqrt(1.0 / (shape.get(1) * 9))).toType(type, false);
    w.setRequiresGradient(true);
    return w;
  }
}
