package dev.distill.job.method.palette;

import dev.distill.job.common.ObserveStage;
import dev.distill.job.common.ObserverSummary;
import dev.distill.job.common.ParquetImages;
import dev.distill.job.common.TrainingTasks;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.stage.Images;
import dev.distill.job.stage.StageContext;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.hadoop.LocalCopy;
import dev.distill.udf.model.InferenceDevice;
import dev.distill.udf.model.Observer;
import dev.distill.udf.palette.PaletteNetwork;
import dev.distill.udf.palette.PaletteTrainer;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.TorchThreads;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the one palette network of a run as a Spark task (on the task's GPU when it has one) on
 * the images chosen upstream, with the frozen observer for the task loss. One network for all
 * classes: it maps colours to buckets, which the paper shares across the whole synthetic set, and
 * a few hundred images are one task's work. The weights come back to the driver (a few thousand
 * floats) and travel to the quantising tasks inside their closure.
 */
record PaletteNetworkTask(String images, String observer, int channels, int size, String device,
    PaletteTrainer.Options options, HadoopConf conf)
    implements Function<Integer, PaletteTrainer.Result>, Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(PaletteNetworkTask.class);

  static PaletteNetwork train(StageContext ctx, Images upstream) {
    DistillConfig c = ctx.config();
    PaletteSettings s = Palette.settings(c);
    PaletteNetworkTask task = new PaletteNetworkTask(ctx.tablePath(upstream.table()),
        ctx.summary(ObserveStage.NAME, ObserverSummary.class).location(), c.input().channels(), c.input().imageSize(),
        c.inference().device(), s.network().withSeed(c.seed()), new HadoopConf(ctx.hadoop()));
    PaletteTrainer.Result result = TrainingTasks.of(ctx.spark(), List.of(0), c.trainingTaskCpus()).map(task)
        .collect().get(0);
    for (int t = 0; t < result.lossByTenth().size(); t++) {
      float[] l = result.lossByTenth().get(t);
      LOG.info("palette network, tenth {}/{}: loss {} (task {}, max colour {}, balance {}, alignment {})", t + 1,
          result.lossByTenth().size(), l[0], l[1], l[2], l[3], l[4]);
    }
    return result.network();
  }

  @Override
  public PaletteTrainer.Result call(Integer ignored) throws Exception {
    try (TorchThreads threads = TorchThreads.forCurrentTask();
        Observer frozen = Observer.load(LocalCopy.of(observer, conf.get()), InferenceDevice.forCurrentTask(device))) {
      ImageSet set = ParquetImages.load(images, channels, size, conf.get());
      return new PaletteTrainer(options, frozen.device()).train(set, frozen.block(), frozen.metadata().normalization());
    }
  }
}
