package dev.distill.job.common;

import ai.djl.Device;
import ai.djl.Model;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.config.Redaction;
import dev.distill.job.output.OutputFiles;
import dev.distill.job.read.InputError;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.hadoop.LocalCopy;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.model.InferenceDevice;
import dev.distill.udf.model.Observer;
import dev.distill.udf.model.ObserverMetadata;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.ObserverTrainer;
import dev.distill.udf.train.TorchThreads;
import dev.distill.udf.train.TrainingOptions;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the observer: loads the configured one (checking that its input shape and classes fit
 * the data), or trains every configured architecture, one Spark task each, and saves them under
 * {@code observers/<architecture>/} of the output. The first architecture scores and labels.
 */
public final class ObserveStage implements Stage<ObserverSummary> {
  public static final String NAME = "observe";
  private static final Logger LOG = LoggerFactory.getLogger(ObserveStage.class);
  static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(IngestStage.NAME);
  }

  @Override
  public List<String> writes() {
    return List.of(OutputFiles.OBSERVERS);
  }

  @Override
  public Object settings(StageContext ctx) {
    DistillConfig c = ctx.config();
    Map<String, Object> s = new TreeMap<>();
    s.put("observer", c.observer());
    s.put("seed", c.seed());
    s.put("device", c.inference().device());
    if (c.observer().path() != null) {
      s.put("given", InputListing.of(c.observer().path(), ctx.hadoop()));
    }
    return s;
  }

  @Override
  public String description(StageContext ctx) {
    DistillConfig c = ctx.config();
    return c.observer().path() != null ? "Checking observer " + Redaction.uris(c.observer().path())
        : "Training observers " + c.observer().architectures() + " on "
            + ctx.summary(IngestStage.NAME, IngestSummary.class).trainImages() + " images";
  }

  @Override
  public Class<ObserverSummary> summaryType() {
    return ObserverSummary.class;
  }

  @Override
  public ObserverSummary run(StageContext ctx) {
    DistillConfig config = ctx.config();
    IngestSummary data = ctx.summary(IngestStage.NAME, IngestSummary.class);
    if (config.observer().path() != null) {
      return given(ctx, data);
    }
    Normalization norm = config.observer().normalization().equals("imagenet")
        ? new Normalization(IMAGENET_MEAN, IMAGENET_STD)
        : data.datasetNormalization();
    List<String> architectures = config.observer().architectures();
    Path dir = new Path(ctx.staging(), OutputFiles.OBSERVERS);
    Train task = new Train(config.observer(), config.input().imageSize(), config.input().channels(),
        data.classes().names(), norm, config.seed(), ctx.tablePath(Tables.TRAIN),
        data.hasTest() ? ctx.tablePath(Tables.TEST) : null,
        data.validationImages() > 0 ? ctx.tablePath(Tables.VALIDATION) : null,
        dir.toString(), config.inference().device(), new HadoopConf(ctx.hadoop()));
    List<TrainedObserver> results = TrainingTasks.of(ctx.spark(), architectures, config.trainingTaskCpus())
        .map(task)
        .collect();
    List<ObserverMetadata> trained = results.stream().map(TrainedObserver::meta).toList();
    Map<String, List<Double>> curves = new TreeMap<>();
    Map<String, Double> seconds = new TreeMap<>();
    for (TrainedObserver t : results) {
      LOG.info("observer {}: test accuracy {}, {} s", t.meta().architecture(), t.meta().testAccuracy(), t.seconds());
      curves.put(t.meta().architecture(), t.validationCurve());
      seconds.put(t.meta().architecture(), t.seconds());
    }
    List<String> locations = architectures.stream().map(a -> new Path(dir, a).toString()).toList();
    return new ObserverSummary(locations.get(0), trained.get(0), trained, locations, curves, seconds);
  }

  /**
   * The observer at {@code distill.observer.path}, or, when that directory holds no observer but one
   * sub-directory per configured architecture (a previous run's {@code observers/}), that ensemble:
   * the first architecture scores, all are teachers.
   */
  private static ObserverSummary given(StageContext ctx, IngestSummary data) {
    DistillConfig.Observer o = ctx.config().observer();
    Path root = new Path(o.path());
    try {
      if (root.getFileSystem(ctx.hadoop()).exists(new Path(root, ObserverMetadata.FILE))) {
        return new ObserverSummary(o.path(), checkGiven(ctx, data, o.path()), List.of(), List.of(), Map.of(), Map.of());
      }
    } catch (IOException e) {
      throw new InputError("distill.observer.path = " + o.path() + ": " + e.getMessage(), e);
    }
    List<String> locations = o.architectures().stream().map(a -> new Path(root, a).toString()).toList();
    ObserverMetadata primary = null;
    for (String location : locations) {
      ObserverMetadata m = checkGiven(ctx, data, location);
      primary = primary == null ? m : primary;
    }
    return new ObserverSummary(locations.get(0), primary, List.of(), locations, Map.of(), Map.of());
  }

  /** A user-supplied observer must accept our images and know our classes. */
  private static ObserverMetadata checkGiven(StageContext ctx, IngestSummary data, String path) {
    try (Observer observer = Observer.load(LocalCopy.of(path, ctx.hadoop()), Device.cpu())) {
      ObserverMetadata m = observer.metadata();
      DistillConfig.Input in = ctx.config().input();
      if (m.channels() != in.channels() || m.height() != in.imageSize() || m.width() != in.imageSize()) {
        throw new InputError("distill.observer.path = " + path + ": the observer takes " + m.channels()
            + "x" + m.height() + "x" + m.width() + " input but the job works on " + in.channels() + "x"
            + in.imageSize() + "x" + in.imageSize() + " (distill.input.channels, distill.input.image-size)");
      }
      if (!m.classNames().equals(data.classes().names())) {
        throw new InputError("distill.observer.path = " + path + ": the observer's classes "
            + m.classNames() + " differ from the dataset's " + data.classes().names()
            + " (order matters: class i of the observer must be class i of the data)");
      }
      return m;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new InputError("distill.observer.path = " + path + ": " + e.getMessage(), e);
    }
  }

  /** One architecture's training, run as one Spark task. */
  private record Train(DistillConfig.Observer settings, int size, int channels, List<String> classNames,
      Normalization normalization, long seed, String trainPath, String testPath, String validationPath, String outputDir,
      String device, HadoopConf conf) implements Function<String, TrainedObserver>, Serializable {

    @Override
    public TrainedObserver call(String architecture) throws IOException {
      try (TorchThreads threads = TorchThreads.forCurrentTask()) {
        return train(architecture);
      }
    }

    private TrainedObserver train(String architecture) throws IOException {
      long start = System.nanoTime();
      ImageSet train = ParquetImages.load(trainPath, channels, size, conf.get());
      ImageSet validation = validationPath == null ? null : ParquetImages.load(validationPath, channels, size, conf.get());
      List<Double> curve = new java.util.ArrayList<>();
      TrainingOptions options = new TrainingOptions(settings.epochs(), settings.batchSize(),
          settings.learningRate(), settings.weightDecay(), settings.erasing(), seed);
      ObserverTrainer trainer = new ObserverTrainer(new Architecture(architecture), normalization,
          options, InferenceDevice.forCurrentTask(device));
      ObserverMetadata meta = new ObserverMetadata(ObserverMetadata.FORMAT_DJL, architecture, channels,
          size, size, normalization.mean(), normalization.std(), classNames, null, train.size(),
          settings.epochs(), seed);
      try (Model model = trainer.train(train, classNames.size(), (epoch, current) -> {
        String measured = "";
        if (validation != null) {
          curve.add(ObserverTrainer.accuracy(current, normalization, validation, 256));
          measured = String.format(", validation accuracy %.4f", curve.get(curve.size() - 1));
        }
        LoggerFactory.getLogger(ObserveStage.class)
            .info("observer {}: epoch {}/{} done{}", architecture, epoch, settings.epochs(), measured);
      })) {
        if (testPath != null) {
          ImageSet test = ParquetImages.load(testPath, channels, size, conf.get());
          meta = meta.withTestAccuracy(ObserverTrainer.accuracy(model, normalization, test, 256));
        }
        java.nio.file.Path local = Files.createTempDirectory("distill-observer-");
        try {
          Observer.save(model, meta, local);
          Path target = new Path(outputDir, architecture);
          FileSystem fs = target.getFileSystem(conf.get());
          fs.mkdirs(target);
          try (Stream<java.nio.file.Path> files = Files.list(local)) {
            for (java.nio.file.Path f : files.sorted().toList()) {
              fs.copyFromLocalFile(false, true, new Path(f.toUri()), new Path(target, f.getFileName().toString()));
            }
          }
        } finally {
          try (Stream<java.nio.file.Path> walk = Files.walk(local)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
      return new TrainedObserver(meta, curve, (System.nanoTime() - start) / 1e9);
    }
  }

  /** What one training task returns: the metadata, the validation accuracy after each epoch, the time. */
  record TrainedObserver(ObserverMetadata meta, List<Double> validationCurve, double seconds) implements Serializable {}
}
