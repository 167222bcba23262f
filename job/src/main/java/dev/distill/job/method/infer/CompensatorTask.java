package dev.distill.job.method.infer;

import ai.djl.ndarray.NDManager;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.hadoop.LocalCopy;
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

  /** {@code compensator}: {@link StoredCompensator#toBytes()}; {@code lossByTenth}: total, CE, BatchNorm. */
  record Result(byte[] compensator, List<float[]> lossByTenth) implements Serializable {}

  /** Pair {@code pair} is slot {@code pair / teachers}, teacher {@code pair % teachers}. */
  @Override
  public Result call(Integer pair) throws Exception {
    int slot = pair / teachers.size();
    int teacher = pair % teachers.size();
    try (TorchThreads threads = TorchThreads.forCurrentTask();
        Observer frozen = Observer.load(LocalCopy.of(teachers.get(teacher), conf.get()),
            InferenceDevice.forCurrentTask(device));
        NDManager manager = NDManager.newBaseManager(frozen.device(), "PyTorch")) {
      CompensatorTrainer.Result r = new CompensatorTrainer(options).train(slots.get(slot), classes, channels, size,
          size, frozen.block(), frozen.metadata().normalization(), manager, "slot " + slot + "/teacher " + teacher);
      return new Result(StoredCompensator.of(r.compensator(), channels, size, size).toBytes(), r.lossByTenth());
    }
  }
}
