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
import java.util.List;
import org.apache.spark.api.java.function.Function;

/**
 * One (slot, teacher) pair's compensator, as one Spark task on the task's GPU when it has one: the
 * teacher is loaded privately (its parameters get frozen) and the slot's natural images, one per
 * class, travel in the closure (a few kilobytes each). Returns the stored form and the loss curve.
 */
record CompensatorTask(List<float[]> slots, List<String> teachers, int classes, int channels, int size,
    CompensatorTrainer.Options options, String device, HadoopConf conf)
    implements Function<Integer, CompensatorTask.Result>, Serializable {

  /**
   * {@code compensator}: {@link StoredCompensator#toBytes()}; {@code lossByTenth}: total, CE, BatchNorm;
   * {@code optimised} and {@code stored}: the teacher's accuracy and cross-entropy on the slot's
   * composites as optimised (x + u, float) and as stored (int8 u, clamped 8-bit pixels).
   */
  record Result(byte[] compensator, List<float[]> lossByTenth, float[] optimised, float[] stored)
      implements Serializable {}

  /** Pair {@code pair} is slot {@code pair / teachers}, teacher {@code pair % teachers}. */
  @Override
  public Result call(Integer pair) throws Exception {
    int slot = pair / teachers.size();
    int teacher = pair % teachers.size();
    try (TorchThreads threads = TorchThreads.forCurrentTask();
        Observer frozen = Observer.load(LocalCopy.of(teachers.get(teacher), conf.get()),
            InferenceDevice.forCurrentTask(device));
        NDManager manager = NDManager.newBaseManager(frozen.device(), "PyTorch")) {
      float[] x = slots.get(slot);
      CompensatorTrainer.Result r = new CompensatorTrainer(options).train(x, classes, channels, size,
          size, frozen.block(), frozen.metadata().normalization(), manager, "slot " + slot + "/teacher " + teacher);
      StoredCompensator stored = StoredCompensator.of(r.compensator(), channels, size, size);
      int chw = channels * size * size;
      float[] optimised = new float[x.length];
      float[] rebuilt = new float[x.length];
      for (int c = 0; c < classes; c++) {
        byte[] natural = new byte[chw];
        for (int i = 0; i < chw; i++) {
          natural[i] = (byte) Math.round(x[c * chw + i] * 255f);
          optimised[c * chw + i] = x[c * chw + i] + r.compensator()[i];
        }
        byte[] composite = stored.apply(new PixelImage(channels, size, size, natural)).data();
        for (int i = 0; i < chw; i++) {
          rebuilt[c * chw + i] = (composite[i] & 0xFF) / 255f;
        }
      }
      var norm = frozen.metadata().normalization();
      return new Result(stored.toBytes(), r.lossByTenth(),
          CompensatorTrainer.score(optimised, classes, channels, size, size, frozen.block(), norm, manager),
          CompensatorTrainer.score(rebuilt, classes, channels, size, size, frozen.block(), norm, manager));
    }
  }
}
