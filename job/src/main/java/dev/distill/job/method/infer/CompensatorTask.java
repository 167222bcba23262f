package dev.distill.job.method.infer;

import ai.djl.ndarray.NDManager;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.hadoop.LocalCopy;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.infer.CompensatorTrainer;
import dev.distill.udf.infer.StoredCompensator;
import dev.distill.udf.model.InferenceDevice;
import dev.distill.udf.model.Observer;
import dev.distill.udf.train.TorchThreads;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.Function;

/**
 * One (slot, teacher) pair's compensator, as one Spark task on the task's GPU when it has one: the
 * teacher is loaded privately (its parameters get frozen) and the slot's natural images, one per
 * class, travel in the closure (a few hundred bytes each). Returns the stored form, the composites
 * as every reader will rebuild them, and how the teacher sees them.
 */
record CompensatorTask(List<byte[]> slots, List<String> teachers, int classes, int channels, int size,
    CompensatorTrainer.Options options, String device, HadoopConf conf)
    implements Function<Integer, CompensatorTask.Result>, Serializable {

  /**
   * {@code compensator}: {@link StoredCompensator#toBytes()}; {@code composites}: the slot's images
   * plus it, class after class (planar 8-bit); {@code lossByTenth}: total, CE, BatchNorm; {@code
   * optimised} and {@code stored}: the teacher's accuracy and cross-entropy on the composites as
   * optimised (x + u, float) and as stored (int8 u, clamped 8-bit pixels).
   */
  record Result(byte[] compensator, byte[] composites, List<float[]> lossByTenth, float[] optimised,
      float[] stored) implements Serializable {}

  /** Pair {@code pair} is slot {@code pair / teachers}, teacher {@code pair % teachers}. */
  @Override
  public Result call(Integer pair) throws Exception {
    int slot = pair / teachers.size();
    int teacher = pair % teachers.size();
    try (TorchThreads threads = TorchThreads.forCurrentTask();
        Observer frozen = Observer.load(LocalCopy.of(teachers.get(teacher), conf.get()),
            InferenceDevice.forCurrentTask(device));
        NDManager manager = NDManager.newBaseManager(frozen.device(), "PyTorch")) {
      byte[] naturals = slots.get(slot);
      float[] x = unit(naturals);
      CompensatorTrainer.Result r = new CompensatorTrainer(options).train(x, classes, channels, size,
          size, frozen.block(), frozen.metadata().normalization(), manager, "slot " + slot + "/teacher " + teacher);
      StoredCompensator stored = StoredCompensator.of(r.compensator(), channels, size, size);
      int chw = channels * size * size;
      float[] optimised = new float[x.length];
      byte[] composites = new byte[naturals.length];
      for (int c = 0; c < classes; c++) {
        for (int i = 0; i < chw; i++) {
          optimised[c * chw + i] = x[c * chw + i] + r.compensator()[i];
        }
        PixelImage natural = new PixelImage(channels, size, size, Arrays.copyOfRange(naturals, c * chw, (c + 1) * chw));
        System.arraycopy(stored.apply(natural).data(), 0, composites, c * chw, chw);
      }
      var norm = frozen.metadata().normalization();
      return new Result(stored.toBytes(), composites, r.lossByTenth(),
          CompensatorTrainer.score(optimised, classes, channels, size, size, frozen.block(), norm, manager),
          CompensatorTrainer.score(unit(composites), classes, channels, size, size, frozen.block(), norm, manager));
    }
  }

  /** 8-bit pixels as values in [0, 1]. */
  private static float[] unit(byte[] pixels) {
    float[] x = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      x[i] = (pixels[i] & 0xFF) / 255f;
    }
    return x;
  }
}
