package dev.distill.job.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.substring_index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.output.FileReplacement;
import dev.distill.job.output.OutputWriter;
import dev.distill.job.output.Report;
import dev.distill.job.read.InputError;
import dev.distill.job.stage.IngestStage;
import dev.distill.job.stage.Ingested;
import dev.distill.job.stage.ScoreStage;
import dev.distill.job.stage.StageContext;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.image.ImageCodec;
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
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
  public static final String FILE = "evaluation.json";
  private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final StructType LABELLED = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("pixels", DataTypes.BinaryType, false)
      .add("soft_label", new ArrayType(DataTypes.FloatType, false), false);

  private Evaluation() {}

  public static ObjectNode run(SparkSession spark, DistillConfig c, String output) {
    FileSystem fs;
    Path out;
    JsonNode manifest;
    try {
      out = new Path(output);
      fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      out = fs.makeQualified(out);
      try (InputStream in = fs.open(new Path(out, "manifest.json"))) {
        manifest = JSON.readTree(in);
      }
    } catch (IOException e) {
      throw new InputError(output + ": not a distilled output (no readable manifest.json): " + e.getMessage(), e);
    }
    if (c.input().testPath() == null) {
      throw new InputError("evaluation tests students on the held-out split: set distill.input.test-path");
    }
    String observer = observerLocation(out, manifest);
    Path work = new Path(out.getParent(), "." + out.getName() + ".evaluation");
    StageContext ctx = new StageContext(spark, c, work);
    try {
      return evaluate(ctx, fs, out, manifest, observer);
    } finally {
      try {
        fs.delete(work, true);
      } catch (IOException e) {
        LOG.warn("could not remove {}", work);
      }
    }
  }

  private static ObjectNode evaluate(StageContext ctx, FileSystem fs, Path out, JsonNode manifest, String observer) {
    DistillConfig c = ctx.config();
    DistillConfig.Evaluate e = c.evaluate();
    List<Integer> budgets = budgets(e, manifest, out);
    Ingested data = ctx.stage("eval-ingest", "Reading the training and test splits", () -> IngestStage.run(ctx));
    ObserverMetadata meta = readObserver(fs, observer);
    int ipc = manifest.get("ipc").asInt();
    int classes = data.classes().size();
    // Stitched images get RDED's ShufflePatches + RandomResizedCrop; the baselines are natural images.
    int factor = manifest.path("rded").path("factor").asInt(1);
    Map<String, TrainingSet> sets = new LinkedHashMap<>();
    for (int k : budgets) {
      StudentOptions protocol = new StudentOptions(e.epochs(), batchSize(e, k, classes), e.learningRate(),
          e.weightDecay(), e.temperature(), LabelMode.HARD, e.evalEvery(), e.evalFrom(), 0, 1);
      String which = k == ipc ? "" : " (the first " + k + " per class)";
      add(sets, new TrainingSet("rded", k, ctx.stage("eval-prepare", "Decoding the distilled images" + which,
          () -> distilledSet(ctx, out, k, manifest)), protocol.withFactor(factor)));
      if (e.baselines().contains("random")) {
        add(sets, new TrainingSet("random", k, ctx.stage("eval-prepare",
            "Sampling and labelling the random baseline at IPC " + k, () -> {
              String path = ctx.work("random-" + k + ".parquet").toString();
              Dataset<Row> subset = ScoreStage.perClassSample(data.train(), c.seed(), "random-baseline", k);
              new ImageLogitsTransformer().setModelUri(observer).setBatchSize(c.inference().batchSize())
                  .setDevice(c.inference().device()).setOutputCol("soft_label")
                  .transform(subset).write().parquet(path);
              return path;
            }), protocol));
      }
    }
    if (e.baselines().contains("full")) {
      add(sets, new TrainingSet("full", null, data.trainPath(), new StudentOptions(e.fullEpochs(),
          e.fullBatchSize(), e.learningRate(), e.weightDecay(), e.temperature(), LabelMode.HARD, 1, 0, 0, 1)));
    }

    List<StudentTask.Spec> specs = new ArrayList<>();
    for (TrainingSet set : sets.values()) {
      // The full set trains with hard labels only: it is the ceiling, not a distillation.
      List<String> modes = set.name().equals("full") ? List.of("hard") : e.labelModes();
      for (String student : e.students()) {
        for (String mode : modes) {
          for (long seed : e.seeds()) {
            specs.add(new StudentTask.Spec(set.key(), student, mode, seed));
          }
        }
      }
    }
    StudentTask task = new StudentTask(sets, data.testPath(), observer, meta.normalization(),
        c.input().channels(), c.input().imageSize(), classes, c.inference().device(),
        new HadoopConf(ctx.hadoop()));
    List<StudentRun> runs = ctx.stage("eval-train", "Training " + specs.size() + " students",
        () -> new JavaSparkContext(ctx.spark().sparkContext()).parallelize(specs, specs.size()).map(task).collect());
    ObjectNode report = report(manifest, sets.get("rded@" + ipc).protocol(), runs);
    report.putObject("timings_ms").setAll(timings(ctx));
    write(fs, out, report);
    Report.write(fs, out);
    return report;
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
  static List<Integer> budgets(DistillConfig.Evaluate e, JsonNode manifest, Path out) {
    int ipc = manifest.get("ipc").asInt();
    int factor = manifest.path("rded").path("factor").asInt(1);
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
  private static String distilledSet(StageContext ctx, Path out, int k, JsonNode manifest) {
    boolean all = k == manifest.get("ipc").asInt();
    // Joined on the path below images/: binaryFile reports fully qualified URIs whose spelling
    // (file:/ vs file:///) need not match the output path's.
    String prefix = OutputWriter.IMAGES + "/";
    Dataset<Row> labels = ctx.spark().read().parquet(new Path(out, OutputWriter.LABELS).toString())
        .where(expr("cast(substring_index(id, '/', -1) as int) < " + k))
        .select(col("id"), col("label"), col("soft_label"),
            expr("substring(path, " + (prefix.length() + 1) + ")").as("file"));
    Dataset<Row> pngs = ctx.spark().read().format("binaryFile").option("recursiveFileLookup", "true")
        .load(new Path(out, OutputWriter.IMAGES).toString())
        .select(substring_index(col("path"), "/" + prefix, -1).as("file"), col("content"));
    int channels = ctx.config().input().channels();
    int size = ctx.config().input().imageSize();
    String path = ctx.work("rded-" + k + ".parquet").toString();
    labels.join(pngs, "file").map((MapFunction<Row, Row>) r -> RowFactory.create(
        r.getAs("id"), r.getAs("label"),
        ImageCodec.decode(r.getAs("content"), channels, size, size).data(),
        floats(r.getList(r.fieldIndex("soft_label")))),
        Encoders.row(LABELLED)).write().parquet(path);
    long found = ctx.spark().read().parquet(path).count();
    long expected = all ? manifest.get("images").asLong() : labels.count();
    if (found != expected) {
      throw new InputError(out + ": " + (all ? "the manifest" : OutputWriter.LABELS) + " lists " + expected
          + " images" + (all ? "" : " among the first " + k + " per class") + " but " + found
          + " were found and readable under " + prefix + " for the rows of " + OutputWriter.LABELS);
    }
    return path;
  }

  private static float[] floats(List<Object> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  private static String observerLocation(Path out, JsonNode manifest) {
    JsonNode o = manifest.get("observer");
    String location = o.get("location").asText();
    return o.get("trained_by_this_run").asBoolean() ? new Path(out, location).toString() : location;
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

  static ObjectNode report(JsonNode manifest, StudentOptions protocol, List<StudentRun> runs) {
    ObjectNode r = JSON.createObjectNode();
    r.put("ipc", manifest.get("ipc").asInt());
    r.put("classes", manifest.get("classes").asInt());
    r.put("config_sha256", manifest.get("config_sha256").asText());
    r.put("observer_test_accuracy", manifest.get("observer").get("test_accuracy").asDouble());
    ObjectNode p = r.putObject("protocol");
    p.put("epochs", protocol.epochs());
    p.put("batch_size", protocol.batchSize());
    p.put("optimizer", "AdamW (decay on weights with >= 2 dims)");
    p.put("learning_rate", protocol.learningRate());
    p.put("weight_decay", protocol.weightDecay());
    p.put("schedule", "half-cosine per epoch (ends at 0.5x)");
    p.put("augmentation", protocol.factor() > 1
        ? "distilled images: ShufflePatches(" + protocol.factor() + ") + RandomResizedCrop(scale 1/"
            + protocol.factor() + "..1, ratio 3/4..4/3) + horizontal flip; real images: horizontal flip"
        : "horizontal flip");
    p.put("mixing", "cutmix");
    p.put("temperature", protocol.temperature());
    p.put("eval_from", protocol.evalFrom());
    p.put("reported", "best = best of the test evaluations after " + (int) (100 * protocol.evalFrom())
        + "% of the epochs (every " + protocol.evalEvery() + "); last = after the final epoch");
    ArrayNode summary = r.putArray("summary");
    Map<String, List<StudentRun>> groups = runs.stream().collect(Collectors.groupingBy(
        run -> run.dataset() + "|" + run.ipc() + "|" + run.student() + "|" + run.labels(), LinkedHashMap::new,
        Collectors.toList()));
    for (List<StudentRun> g : groups.values()) {
      StudentRun first = g.get(0);
      ObjectNode s = summary.addObject();
      describe(s, first);
      s.put("seeds", g.size());
      stats(s.putObject("best"), g.stream().mapToDouble(StudentRun::best).toArray());
      stats(s.putObject("last"), g.stream().mapToDouble(StudentRun::last).toArray());
    }
    ArrayNode all = r.putArray("runs");
    for (StudentRun run : runs) {
      ObjectNode o = all.addObject();
      describe(o, run);
      o.put("seed", run.seed());
      o.put("best", run.best());
      o.put("last", run.last());
      o.put("millis", run.millis());
      ArrayNode curve = o.putArray("test_accuracy_by_epoch");
      for (int i = 0; i < run.epochs().size(); i++) {
        curve.addArray().add(run.epochs().get(i)).add(run.accuracies().get(i));
      }
    }
    return r;
  }

  /** What a run or a group of seeds trained on; {@code ipc} is null for the full training set. */
  private static void describe(ObjectNode o, StudentRun run) {
    o.put("dataset", run.dataset());
    o.put("ipc", run.ipc());
    o.put("student", run.student());
    o.put("labels", run.labels());
    o.put("train_images", run.trainImages());
    o.put("batch_size", run.batchSize());
  }

  /** Mean and sample standard deviation (n − 1; 0 for one value), and the values themselves. */
  static void stats(ObjectNode node, double[] values) {
    double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
    double ss = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
    node.put("mean", mean);
    node.put("std", values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0.0);
    ArrayNode v = node.putArray("values");
    for (double d : values) {
      v.add(d);
    }
  }

  private static void write(FileSystem fs, Path out, ObjectNode report) {
    try {
      FileReplacement.write(fs, out, FILE, JSON.writeValueAsBytes(report));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + FILE, e);
    }
  }

}
