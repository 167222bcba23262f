package dev.distill.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.model.InferenceDevice;
import dev.distill.udf.train.Mixing;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The validated job configuration: one small record per section of {@code reference.conf}. Built
 * only by {@link ConfigLoader}, so a {@code DistillConfig} in hand is always valid.
 */
public record DistillConfig(
    long seed,
    int ipc,
    Input input,
    Output output,
    Budget budget,
    Map<String, MethodSettings> methods,
    Observer observer,
    Label label,
    Inference inference,
    Evaluate evaluate,
    SparkSettings spark,
    Fault fault,
    int trainingTaskCpus,
    String sha256,
    String definingRendering,
    String redactedRendering) implements Serializable {

  public static final List<String> FORMATS = List.of("folder", "idx", "cifar", "parquet");

  /** The validated settings of method {@code name}, which this run lists in {@code distill.methods}. */
  public <S extends MethodSettings> S method(String name, Class<S> type) {
    MethodSettings s = methods.get(name);
    if (s == null) {
      throw new IllegalStateException("method " + name + " is not configured (distill.methods)");
    }
    return type.cast(s);
  }

  /** The methods in the order {@code distill.methods} lists them. */
  public List<String> methodNames() {
    return List.copyOf(methods.keySet());
  }

  public record Input(String path, String testPath, String format, int imageSize, int channels,
      List<String> classNames, double maxRejectFraction, int partitions, int cifarVariant,
      String cifarLabel, String parquetImageColumn, String parquetLabelColumn,
      String parquetIdColumn, int validation, int overlapCheck, Long maxPixels) implements Serializable {

    static Input read(ConfigReader r, String in) {
      Input input = new Input(
          r.requiredString(in + "path"),
          r.optionalString(in + "test-path"),
          r.oneOf(in + "format", FORMATS),
          r.integer(in + "image-size", 8, 4096),
          r.integer(in + "channels", 1, 3),
          r.strings(in + "class-names"),
          r.number(in + "max-reject-fraction", v -> v >= 0 && v <= 1, "a fraction from 0 to 1"),
          r.integer(in + "partitions", 1, 1_000_000),
          r.integer(in + "cifar.variant", 10, 100),
          r.oneOf(in + "cifar.label", List.of("fine", "coarse")),
          r.requiredString(in + "parquet.image-column"),
          r.requiredString(in + "parquet.label-column"),
          r.optionalString(in + "parquet.id-column"),
          r.integer(in + "validation", 0, Integer.MAX_VALUE),
          r.integer(in + "overlap-check", 0, Integer.MAX_VALUE),
          r.optionalLong(in + "max-pixels", 1));
      if (input.path() != null && input.testPath() != null
          && new org.apache.hadoop.fs.Path(input.path()).equals(new org.apache.hadoop.fs.Path(input.testPath()))) {
        r.problem(in + "test-path", "is the training split (distill.input.path); students and observers must be "
            + "tested on held-out data");
      }
      if (input.channels() == 2) {
        r.problem(in + "channels", "expected 1 (gray) or 3 (RGB)");
      }
      if (input.cifarVariant() != 10 && input.cifarVariant() != 100) {
        r.problem(in + "cifar.variant", "expected 10 or 100");
      }
      return input;
    }
  }

  /**
   * {@code resume}: a failed or killed run leaves its staging directory, and the next run of the
   * same output reuses its committed stages whose settings and inputs still match.
   */
  public record Output(String path, boolean overwrite, boolean resume) implements Serializable {}

  /** {@code bytes}: the total, or null for {@code ipc} images per class; see {@code StorageBudget}. */
  public record Budget(Long bytes, String accounting) implements Serializable {}

  /**
   * Test hooks, off by default: stop the process, or throw, right after a stage commits; or fail,
   * or stall until its executor is killed, the first attempt of one of a stage's inference tasks.
   */
  public record Fault(String haltAfter, String failAfter, String failTaskOnce, String stallTaskOnce)
      implements Serializable {}

  public record Observer(String path, List<String> architectures, int epochs, int batchSize,
      float learningRate, float weightDecay, float erasing, String normalization) implements Serializable {
    public Architecture primary() {
      return new Architecture(architectures.get(0));
    }

    static Observer read(ConfigReader r, String ob, Input input) {
      List<String> architectures = r.eachValid(ob + "architectures", Architecture::isKnown, Architecture.ALLOWED);
      if (architectures.isEmpty()) {
        r.problem(ob + "architectures", "expected at least one of " + Architecture.ALLOWED);
      }
      Observer observer = new Observer(
          r.optionalString(ob + "path"),
          architectures,
          r.integer(ob + "epochs", 1, 10_000),
          r.integer(ob + "batch-size", 2, 65_536),
          (float) r.number(ob + "learning-rate", v -> v > 0 && v < 10, "a rate between 0 and 10"),
          (float) r.number(ob + "weight-decay", v -> v >= 0 && v < 1, "a decay in [0, 1)"),
          (float) r.number(ob + "random-erasing", v -> v >= 0 && v <= 1, "a probability in [0, 1]"),
          r.oneOf(ob + "normalization", List.of("dataset", "imagenet")));
      if ("imagenet".equals(observer.normalization()) && input.channels() != 3) {
        r.problem(ob + "normalization", "imagenet constants need distill.input.channels = 3");
      }
      return observer;
    }
  }

  public record Inference(int batchSize, String device) implements Serializable {}

  /** {@code teachers}: first | all (see reference.conf). */
  public record Label(String teachers) implements Serializable {
    public boolean allTeachers() {
      return teachers.equals("all");
    }
  }

  public record Evaluate(boolean afterRun, List<Integer> ipcs, List<String> students, List<String> labelModes,
      List<Long> seeds, List<Long> dataSeeds, List<String> baselines, int epochs, int batchSize, float learningRate, float weightDecay,
      float temperature, int evalEvery, double evalFrom, int fullEpochs, int fullBatchSize, Mixing mixing,
      String runsPath, String redistilledPath, String exportPath)
      implements Serializable {

    static Evaluate read(ConfigReader r, Config c, String ev) {
      List<String> students = r.eachValid(ev + "students", Architecture::isKnown, Architecture.ALLOWED);
      List<String> modes = r.eachOneOf(ev + "label-modes", List.of("static", "teacher", "hard"),
          "static | teacher | hard");
      List<String> baselines = r.eachOneOf(ev + "baselines", List.of("random", "random-ipc", "full"),
          "random | random-ipc | full");
      List<Long> seeds = r.longs(ev + "seeds");
      if (seeds.isEmpty() || new java.util.HashSet<>(seeds).size() != seeds.size()) {
        r.problem(ev + "seeds", "expected at least one seed, without repeats");
      }
      List<Long> dataSeeds = r.longs(ev + "data-seeds");
      String exportPath = r.optionalString(ev + "export-path");
      // One data seed has no spread to report, unless exported to join the others' in one plan.
      if (new java.util.HashSet<>(dataSeeds).size() != dataSeeds.size()
          || (dataSeeds.size() == 1 && exportPath == null)) {
        r.problem(ev + "data-seeds", "expected no seeds (only the output) or at least two, without repeats "
            + "(one only with " + ev + "export-path: a unit exported a data seed at a time)");
      }
      List<Long> ipcs = r.longs(ev + "ipcs");
      if (ipcs.stream().anyMatch(v -> v < 1 || v > 100_000)) {
        r.problem(ev + "ipcs", "expected images-per-class budgets of at least 1, got " + ipcs);
      }
      return new Evaluate(
          r.bool(ev + "after-run"), ipcs.stream().map(Long::intValue).distinct().sorted().toList(), students, modes,
          seeds, List.copyOf(dataSeeds), baselines,
          r.integer(ev + "epochs", 1, 100_000),
          r.integer(ev + "batch-size", 0, 65_536),
          (float) r.number(ev + "learning-rate", v -> v > 0 && v < 10, "a rate between 0 and 10"),
          (float) r.number(ev + "weight-decay", v -> v >= 0 && v < 1, "a value in [0, 1)"),
          (float) r.number(ev + "temperature", v -> v > 0, "a positive temperature"),
          r.integer(ev + "eval-every", 1, 100_000),
          r.number(ev + "eval-from", v -> v >= 0 && v <= 1, "a fraction from 0 to 1"),
          r.integer(ev + "full-epochs", 1, 10_000),
          r.integer(ev + "full-batch-size", 1, 65_536),
          "mixup".equals(r.oneOf(ev + "mixing", List.of("cutmix", "mixup"))) ? Mixing.MIXUP : Mixing.CUTMIX,
          r.optionalString(ev + "runs-path"), r.optionalString(ev + "redistilled-path"), exportPath);
    }
  }

  public record SparkSettings(String master, String appName, Map<String, String> conf)
      implements Serializable {}

  static DistillConfig from(Config c, String sha256, String defining, String redacted) {
    ConfigReader r = new ConfigReader(c);
    String p = "distill.";
    long seed = r.anyLong(p + "seed");
    int ipc = r.integer(p + "ipc", 1, 100_000);
    Input input = Input.read(r, p + "input.");
    Output output = new Output(r.requiredString(p + "output.path"), r.bool(p + "output.overwrite"),
        r.bool(p + "output.resume"));
    Budget budget = new Budget(r.optionalLong(p + "budget.bytes", 1),
        r.oneOf(p + "budget.accounting", List.of("strict", "paper", "on-disk")));
    Map<String, MethodSettings> methods = MethodSections.read(r, p, input);
    Observer observer = Observer.read(r, p + "observer.", input);
    Label label = new Label(r.oneOf(p + "label.teachers", List.of("first", "all")));
    Inference inference = new Inference(
        r.integer(p + "inference.batch-size", 1, 65_536),
        r.oneOf(p + "inference.device", InferenceDevice.CHOICES));
    Evaluate evaluate = Evaluate.read(r, c, p + "evaluate.");
    Map<String, String> sparkConf = new java.util.TreeMap<>();
    if (c.hasPath(p + "spark.conf")) {
      c.getConfig(p + "spark.conf").entrySet().forEach(e ->
          sparkConf.put(String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped())));
    }
    SparkSettings spark = new SparkSettings(
        r.requiredString(p + "spark.master"), r.requiredString(p + "spark.app-name"), sparkConf);
    Fault fault = new Fault(r.optionalString(p + "fault.halt-after"), r.optionalString(p + "fault.fail-after"),
        r.optionalString(p + "fault.fail-task-once"), r.optionalString(p + "fault.stall-task-once"));
    int trainingTaskCpus = r.integer(p + "training.task-cpus", 0, 1024);

    if (!r.problems().isEmpty()) {
      throw new ConfigError(r.problems());
    }
    return new DistillConfig(seed, ipc, input, output, budget, methods, observer, label, inference, evaluate,
        spark, fault, trainingTaskCpus, sha256, defining, redacted);
  }
}
