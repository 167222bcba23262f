package dev.distill.job.eval;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import dev.distill.job.common.ParquetImages;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.hadoop.LocalCopy;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.model.InferenceDevice;
import dev.distill.udf.model.LogitsTranslator;
import dev.distill.udf.model.ObserverCache;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.LabelMode;
import dev.distill.udf.train.StudentOptions;
import dev.distill.udf.train.TorchThreads;
import dev.distill.udf.train.StudentTrainer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Trains and tests one student inside one Spark task; everything it reads comes by path. */
record StudentTask(Map<String, TrainingSet> sets, String testPath, String validationPath, List<String> teachers,
    Normalization normalization,
    int channels, int size, int classes, String device, HadoopConf conf, FinishedRuns finished)
    implements Function<StudentTask.Spec, StudentRun>, Serializable {

  /** What one task trains. */
  record Spec(String set, String student, String labels, long seed) implements Serializable {}

  @Override
  public StudentRun call(Spec spec) throws Exception {
    try (TorchThreads threads = TorchThreads.forCurrentTask()) {
      return train(spec);
    }
  }

  /** One student's inputs, loaded, and the name its finished run is kept under. */
  record Inputs(TrainingSet set, LabelMode mode, StudentOptions options, ImageSet train, float[] logits,
      ImageSet test, ImageSet validation, String name) {}

  Inputs load(Spec spec) throws java.io.IOException {
    LabelMode mode = LabelMode.of(spec.labels());
    TrainingSet set = sets.get(spec.set());
    ParquetImages.Labelled train = mode == LabelMode.STATIC
        ? ParquetImages.loadLabelled(set.path(), channels, size, classes, conf.get())
        : new ParquetImages.Labelled(ParquetImages.load(set.path(), channels, size, conf.get()), null);
    ImageSet test = ParquetImages.load(testPath, channels, size, conf.get());
    ImageSet validation = validationPath == null ? null : ParquetImages.load(validationPath, channels, size, conf.get());
    StudentOptions options = set.protocol().forRun(mode, spec.seed());
    String name = finished.name(spec, set, options, teachersFor(mode), train.images(), train.logits(), test,
        validation);
    return new Inputs(set, mode, options, train.images(), train.logits(), test, validation, name);
  }

  /** The teachers a student of {@code mode} learns from: none with stored or hard labels. */
  List<String> teachersFor(LabelMode mode) {
    return mode == LabelMode.TEACHER ? teachers : List.of();
  }

  private StudentRun train(Spec spec) throws Exception {
    long start = System.nanoTime();
    Inputs in = load(spec);
    StudentOptions options = in.options();
    Logger log = LoggerFactory.getLogger(StudentTask.class);
    String what = "student " + spec.student() + " on " + spec.set() + " (" + spec.labels() + " labels, seed "
        + spec.seed() + ")";
    Optional<StudentRun> before = finished.find(in.name());
    if (before.isPresent()) {
      log.info("{}: finished in an earlier evaluation, read from {}/{}", what, finished.dir(), in.name());
      return before.get();
    }
    Device target = InferenceDevice.forCurrentTask(device);
    StudentTrainer trainer = new StudentTrainer(new Architecture(spec.student()), normalization, options, target);
    int every = Math.max(1, options.epochs() / 10);
    IntConsumer progress = epoch -> {
      if (epoch % every == 0 && epoch < options.epochs()) {
        log.info("{}: epoch {}/{}", what, epoch, options.epochs());
      }
    };
    StudentTrainer.Result result;
    if (in.mode() == LabelMode.TEACHER) {
      List<ObserverCache.Lease> leases = new ArrayList<>();
      List<Predictor<LogitsTranslator.Batch, float[]>> predictors = new ArrayList<>();
      try {
        for (String t : teachers) {
          leases.add(ObserverCache.lease(t, target, l -> LocalCopy.of(l, conf.get())));
          predictors.add(leases.get(leases.size() - 1).observer().newPredictor());
        }
        result = trainer.train(in.train(), null, classes, predictors, in.test(), in.validation(), progress);
      } finally {
        predictors.forEach(Predictor::close);
        leases.forEach(ObserverCache.Lease::close);
      }
    } else {
      result = trainer.train(in.train(), in.logits(), classes, List.of(), in.test(), in.validation(), progress);
    }
    StudentRun run = new StudentRun(in.set().name(), in.set().ipc(), in.set().dataSeed(), spec.student(), spec.labels(), spec.seed(),
        in.set().protocol().batchSize(), in.train().size(), result.evaluatedEpochs(), result.accuracies(),
        result.validationAccuracy(), (System.nanoTime() - start) / 1_000_000, false);
    finished.keep(in.name(), run);
    log.info("{}: best {}, final {}, {} s", what, run.best(), run.last(), run.millis() / 1000);
    return run;
  }
}
