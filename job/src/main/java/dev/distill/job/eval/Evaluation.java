package dev.distill.job.eval;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.ParquetImages;
import dev.distill.job.common.LabelStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.common.TrainingTasks;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.method.MethodPlan;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.output.FileReplacement;
import dev.distill.job.output.Manifest;
import dev.distill.job.output.OutputFiles;
import dev.distill.job.output.Report;
import dev.distill.job.read.InputError;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.ml.ImageLogitsTransformer;
import dev.distill.udf.model.ObserverMetadata;
import dev.distill.udf.train.LabelMode;
import dev.distill.udf.train.StudentOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what a distilled output is worth: fresh students trained on it, and on baselines under
 * the same protocol (a random real subset at the same IPC labelled by the same observer; the full
 * training set), tested on the held-out split. Each (dataset, student, labels, seed) is one Spark
 * task. Writes {@code evaluation.json} into the output: every run, and mean ± std over seeds of the
 * best-of-last-20 % and the final accuracy.
 */
public final class Evaluation {
  public static final String FILE = OutputFiles.EVALUATION;
  /** Real images filling the output's bytes: the fair baseline. */
  static final String RANDOM = "random";
  /** Real images, as many per class as the output has: what papers compare with. */
  static final String RANDOM_IPC = "random-ipc";
  static final String FULL = "full";
  private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Evaluation() {}

  public static ObjectNode run(SparkSession spark, DistillConfig c, String output) {
    DistilledOutput distilled = DistilledOutput.open(output, spark.sparkContext().hadoopConfiguration());
    if (c.input().testPath() == null) {
      throw new InputError("evaluation tests students on the held-out split: set distill.input.test-path");
    }
    Path out = distilled.path();
    FileSystem fs = distilled.fs();
    Path work = new Path(out.getParent(), "." + out.getName() + ".evaluation");
    // A killed evaluation (no finally ran) leaves its scratch behind; its tables are rebuilt, and
    // Spark would refuse to write over them.
    delete(fs, work);
    StageContext ctx = new StageContext(spark, c, work);
    // Kept until evaluation.json is written, so running the same command again after a failure
    // trains only the students that had not finished.
    String runsPath = c.evaluate().runsPath();
    Path runs = runsPath != null ? new Path(runsPath) : new Path(out.getParent(), "." + out.getName() + ".evaluation-runs");
    FinishedRuns finished = new FinishedRuns(runs.toString(), new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    try {
      ObjectNode report = evaluate(ctx, distilled, finished);
      if (runsPath == null) {
        runs.getFileSystem(fs.getConf()).delete(runs, true);
      }
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + runs + " after the evaluation", e);
    } finally {
      try {
        fs.delete(work, true);
      } catch (IOException e) {
        LOG.warn("could not remove {}", work);
      }
    }
  }

  /**
   * The summary of an exported evaluation from its {@link EvaluationPlan} and the finished runs in
   * distill.evaluate.runs-path alone — no Spark, no distilling again — written as {@code
   * evaluation.json} beside the plan.
   */
  public static ObjectNode summarise(DistillConfig c, String planDir, Configuration hadoop) {
    String runs = c.evaluate().runsPath();
    if (runs == null) {
      throw new InputError("distill.evaluate.runs-path: set it to the directory holding the runs of the students "
          + "exported beside " + planDir);
    }
    Path dir = new Path(planDir);
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      ObjectNode report = EvaluationPlan.read(fs, dir).summarise(new FinishedRuns(runs, new HadoopConf(hadoop)));
      write(fs, dir, report);
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + planDir, e);
    }
  }

  private static void delete(FileSystem fs, Path work) {
    try {
      fs.delete(work, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + work + ", the scratch of an earlier evaluation", e);
    }
  }

  private static ObjectNode evaluate(StageContext ctx, DistilledOutput distilled, FinishedRuns finished) {
    DistillConfig c = ctx.config();
    DistillConfig.Evaluate e = c.evaluate();
    Manifest manifest = distilled.manifest();
    List<Integer> budgets = budgets(e, manifest, distilled.path());
    IngestSummary data = ctx.step("eval-ingest", "Reading the training and test splits", () -> new IngestStage().run(ctx));
    String observer = distilled.observer();
    // Baselines are labelled, and teacher-mode students taught, by the teachers that labelled the output.
    List<String> teachers = distilled.teachers();
    ObserverMetadata meta = readObserver(distilled.fs(), observer);
    int classes = data.classes().size();
    Map<String, TrainingSet> sets = new LinkedHashMap<>();
    for (long d : e.dataSeeds().isEmpty() ? List.of(manifest.seed()) : e.dataSeeds()) {
      DistilledOutput output = d == manifest.seed() ? distilled
          : ctx.step("eval-distill", "Distilling again with distill.seed = " + d, () -> Redistillation.of(ctx, distilled, d));
      sets.putAll(trainingSets(ctx, output, budgets, teachers, classes, d));
    }
    if (e.baselines().contains(FULL)) {
      TrainingSet full = new TrainingSet(FULL, null, manifest.seed(), ctx.tablePath(Tables.TRAIN),
          new StudentOptions(e.fullEpochs(), e.fullBatchSize(), e.learningRate(), e.weightDecay(), e.temperature(),
              LabelMode.HARD, 1, 0, 0, 1, e.mixing()));
      sets.put(full.key(), full);
    }
    List<StudentTask.Spec> specs = new ArrayList<>();
    for (TrainingSet set : sets.values()) {
      // The full set trains with hard labels only: it is the ceiling, not a distillation.
      boolean full = set.name().equals(FULL);
      List<String> modes = full ? List.of("hard") : e.labelModes();
      List<Long> seeds = e.dataSeeds().isEmpty() || full ? e.seeds() : List.of(set.dataSeed());
      for (String student : e.students()) {
        for (String mode : modes) {
          for (long seed : seeds) {
            specs.add(new StudentTask.Spec(set.key(), student, mode, seed));
          }
        }
      }
    }
    StudentTask task = new StudentTask(sets, ctx.tablePath(Tables.TEST),
        data.validationImages() > 0 ? ctx.tablePath(Tables.VALIDATION) : null, teachers, meta.normalization(),
        c.input().channels(), c.input().imageSize(), classes, c.inference().device(),
        new HadoopConf(ctx.hadoop()), finished);
    TrainingSet own = sets.get(manifest.method() + "@" + manifest.ipc() + "#" + manifest.seed());
    long teacherBytes = teachers.stream().mapToLong(t -> observerBytes(distilled.fs(), t)).sum();
    if (e.exportPath() != null) {
      export(ctx, task, specs, e.exportPath(), finished.dir(),
          runs -> new EvaluationPlan(manifest, own.protocol(), teacherBytes, List.copyOf(sets.values()), runs));
    }
    long before = finished.count();
    if (before > 0) {
      LOG.info("resuming: {} finished student runs in {}; only students on other content or settings train", before,
          finished.dir());
    }
    List<StudentRun> runs = ctx.step("eval-train", "Training " + specs.size() + " students",
        () -> TrainingTasks.of(ctx.spark(), specs, c.trainingTaskCpus()).map(task).collect());
    ObjectNode report = EvaluationSummary.of(manifest, own.protocol(), runs, sets, teacherBytes);
    report.putObject("timings_ms").setAll(timings(ctx));
    write(distilled.fs(), distilled.path(), report);
    Report.write(distilled.fs(), distilled.path(), MethodPlan.reportSections(manifest));
    return report;
  }

  /**
   * Writes the students that have not finished into {@code dir}, with the test and validation
   * splits and the {@link EvaluationPlan} of every run's name (extending a plan already there: an
   * export made one data seed at a time), and stops the evaluation; once every
   * run is in {@code runs}, it goes on as usual, or is summarised from the plan alone.
   */
  private static void export(StageContext ctx, StudentTask task, List<StudentTask.Spec> specs, String dir,
      String runs, Function<List<String>, EvaluationPlan> plan) {
    Path root = new Path(dir);
    Path earlier = new Path(root, EvaluationPlan.FILE);
    try {
      FileSystem fs = root.getFileSystem(ctx.hadoop());
      // Other data seeds exported here before: this export must belong to their evaluation (checked
      // before any student is written), and the plan adds up to theirs and this one's.
      EvaluationPlan before = fs.exists(earlier) ? EvaluationPlan.read(fs, root) : null;
      if (before != null) {
        before.with(plan.apply(List.of()), earlier);
      }
      List<StudentExport.Result> exported = ctx.step("eval-export", "Writing unfinished students to " + dir,
          () -> new JavaSparkContext(ctx.spark().sparkContext()).parallelize(specs, specs.size())
              .map(new StudentExport(task, dir)).collect());
      long count = exported.stream().filter(StudentExport.Result::written).count();
      if (count == 0) {
        return;
      }
      EvaluationPlan made = plan.apply(exported.stream().map(StudentExport.Result::run).toList());
      (before == null ? made : before.with(made, earlier)).write(fs, root);
      writeSplit(fs, new Path(root, ExportedStudent.TEST), task.testPath(), task);
      if (task.validationPath() != null) {
        writeSplit(fs, new Path(root, ExportedStudent.VALIDATION), task.validationPath(), task);
      }
      if (specs.stream().anyMatch(s -> LabelMode.of(s.labels()) == LabelMode.TEACHER)) {
        copyTeachers(fs, root, task.teachersFor(LabelMode.TEACHER));
      }
      throw new StudentsExported(count + " of " + specs.size() + " students were written to " + dir
          + " instead of training here (distill.evaluate.export-path). Train them elsewhere "
          + "(bench/ExportedStudents.java), copy the runs they write into " + runs + ", and run the same command "
          + "again without export-path, or summarise them from " + EvaluationPlan.FILE + " (bin/distill evaluate --plan "
          + dir + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plan, the test and validation splits or the teachers into " + dir, e);
    }
  }

  /** Each teacher's folder as {@code root/teachers/<index>}, replacing an earlier export's copy. */
  static void copyTeachers(FileSystem fs, Path root, List<String> teachers) throws IOException {
    for (int i = 0; i < teachers.size(); i++) {
      Path from = new Path(teachers.get(i));
      Path to = new Path(root, ExportedStudent.teacher(i));
      fs.delete(to, true);
      if (!FileUtil.copy(from.getFileSystem(fs.getConf()), from, fs, to, false, fs.getConf())) {
        throw new IOException("cannot copy teacher " + from + " to " + to);
      }
    }
  }

  private static void writeSplit(FileSystem fs, Path file, String table, StudentTask task) throws IOException {
    try (java.io.OutputStream out = fs.create(file, true)) {
      ExportedStudent.writeSplit(out, ParquetImages.load(table, task.channels(), task.size(), fs.getConf()));
    }
  }

  /** The distilled output and the baselines at each budget, prepared as Parquet in the work directory. */
  private static Map<String, TrainingSet> trainingSets(StageContext ctx, DistilledOutput distilled,
      List<Integer> budgets, List<String> teachers, int classes, long dataSeed) {
    DistillConfig c = ctx.config();
    DistillConfig.Evaluate e = c.evaluate();
    Manifest manifest = distilled.manifest();
    double labelBytes = distilled.labelBytesPerImage();
    int channels = c.input().channels();
    // Stitched images get RDED's ShufflePatches + RandomResizedCrop; the baselines are natural images.
    int factor = manifest.patchGrid();
    Map<String, TrainingSet> sets = new LinkedHashMap<>();
    for (int k : budgets) {
      StudentOptions protocol = protocol(e, k, classes);
      String which = (k == manifest.ipc() ? "" : " (the first " + k + " per class)") + ", data seed " + dataSeed;
      long images = (long) k * classes;
      long imageBytes = ctx.step("eval-prepare", "Measuring the distilled images" + which,
          () -> distilled.imageBytes(ctx.spark(), k));
      long labels = k == manifest.ipc() ? manifest.bytes().labels() : Math.round(images * labelBytes);
      add(sets, new TrainingSet(manifest.method(), k, dataSeed, ctx.step("eval-prepare",
          "Decoding the distilled images" + which, () -> distilledSet(ctx, distilled, k, dataSeed)),
          protocol.withFactor(factor), images, imageBytes, labels));
      if (e.baselines().contains(RANDOM)) {
        RealSubset.Choice equal = RealSubset.equalBytes(ctx.table(Tables.TRAIN), dataSeed, imageBytes + labels,
            classes, k, channels, labelBytes);
        // The same protocol as the output it is compared with, batch size included: only the data may
        // differ. (Sized by its own count, 11 images a class at IPC 10 would train with batches of
        // 100 — one of 100 and one of 10 an epoch — against the output's 50, and lose 3.5 points.)
        add(sets, baseline(ctx, RANDOM, k, dataSeed, equal, teachers, protocol));
      }
      if (e.baselines().contains(RANDOM_IPC)) {
        add(sets, baseline(ctx, RANDOM_IPC, k, dataSeed,
            RealSubset.perClass(ctx.table(Tables.TRAIN), dataSeed, k, channels, labelBytes), teachers, protocol));
      }
    }
    return sets;
  }

  private static StudentOptions protocol(DistillConfig.Evaluate e, int ipc, int classes) {
    return new StudentOptions(e.epochs(), batchSize(e, ipc, classes), e.learningRate(),
        e.weightDecay(), e.temperature(), LabelMode.HARD, e.evalEvery(), e.evalFrom(), 0, 1, e.mixing());
  }

  /** A random real subset, labelled by the output's teachers, as Parquet. */
  private static TrainingSet baseline(StageContext ctx, String name, int k, long dataSeed, RealSubset.Choice choice,
      List<String> teachers, StudentOptions protocol) {
    DistillConfig c = ctx.config();
    String path = ctx.work(name + "-" + k + "-" + dataSeed + ".parquet").toString();
    ctx.step("eval-prepare", "Labelling the " + name + " baseline beside the output's " + k + " images a class ("
        + choice.images() + " images, " + (choice.imageBytes() + choice.labelBytes()) + " bytes)", () -> {
          LabelStage.meanLogits(c, teachers, choice.records(), "pixels", "soft_label").write().parquet(path);
          return null;
        });
    return new TrainingSet(name, k, dataSeed, path, protocol, choice.images(), choice.imageBytes(), choice.labelBytes());
  }

  /** RDED's batch sizes: 10 / 50 / 100 for IPC 1 / ≤ 10 / more, doubled for ≥ 100 classes. */
  static int batchSize(DistillConfig.Evaluate e, int ipc, int classes) {
    if (e.batchSize() > 0) {
      return e.batchSize();
    }
    int base = ipc <= 1 ? 10 : ipc <= 10 ? 50 : 100;
    return Math.min(classes >= 100 ? 2 * base : base, ipc * classes);
  }

  private static void add(Map<String, TrainingSet> sets, TrainingSet set) {
    sets.put(set.key(), set);
  }

  /**
   * The budgets to evaluate: the output's own IPC and the smaller {@code evaluate.ipcs}. A smaller
   * budget k is the first k images of each class, which is exactly an IPC-k run only when each
   * image is one ranked patch (factor 1); with larger factors image j mixes ranks j, IPC + j, …
   */
  static List<Integer> budgets(DistillConfig.Evaluate e, Manifest manifest, Path out) {
    int ipc = manifest.ipc();
    int factor = manifest.patchGrid();
    List<Integer> budgets = new ArrayList<>();
    for (int k : e.ipcs()) {
      if (k > ipc) {
        throw new InputError("distill.evaluate.ipcs: " + k + " is larger than the IPC of " + out + " (" + ipc
            + "); list budgets up to " + ipc + " or distill at a larger IPC");
      }
      if (k < ipc && factor != 1) {
        throw new InputError("distill.evaluate.ipcs: " + out + " was stitched with factor " + factor
            + ", so its first " + k + " images per class are not what an IPC-" + k + " run makes;"
            + " evaluate separate runs at each IPC instead (bench/fashion-mnist.sh does)");
      }
      if (k < ipc) {
        budgets.add(k);
      }
    }
    budgets.add(ipc);
    return budgets;
  }

  /** The distilled images (the first {@code k} of each class) with their soft labels, as Parquet. */
  private static String distilledSet(StageContext ctx, DistilledOutput distilled, int k, long dataSeed) {
    String path = ctx.work("distilled-" + k + "-" + dataSeed + ".parquet").toString();
    distilled.images(ctx.spark(), k, ctx.config().input().channels(), ctx.config().input().imageSize())
        .write().parquet(path);
    return path;
  }

  /** The teacher's size on disk: what a student trained with teacher labels needs beside the output. */
  private static long observerBytes(FileSystem fs, String observer) {
    try {
      Path p = new Path(observer);
      return p.getFileSystem(fs.getConf()).getContentSummary(p).getLength();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the observer at " + observer, e);
    }
  }

  private static ObserverMetadata readObserver(FileSystem fs, String observer) {
    Path file = new Path(observer, ObserverMetadata.FILE);
    try (InputStream in = file.getFileSystem(fs.getConf()).open(file)) {
      return ObserverMetadata.fromJson(in.readAllBytes(), file.toString());
    } catch (IOException e) {
      throw new InputError(file + ": cannot read the observer metadata: " + e.getMessage(), e);
    }
  }

  private static Map<String, JsonNode> timings(StageContext ctx) {
    Map<String, JsonNode> t = new LinkedHashMap<>();
    ctx.timingsMs().forEach((k, v) -> t.put(k, JSON.getNodeFactory().numberNode(v)));
    return t;
  }

  private static void write(FileSystem fs, Path out, ObjectNode report) {
    try {
      FileReplacement.write(fs, out, FILE, JSON.writeValueAsBytes(report));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + FILE, e);
    }
  }

}
