package dev.distill.job.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.substring_index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
    int classes = data.classes().size();
    Map<String, TrainingSet> sets = trainingSets(ctx, out, manifest, budgets, data, observer, classes);
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
    ObjectNode report = EvaluationSummary.of(manifest, sets.get("rded@" + manifest.get("ipc").asInt()).protocol(), runs);
    report.putObject("timings_ms").setAll(timings(ctx));
    write(fs, out, report);
    Report.write(fs, out);
    return report;
  }

  /** The distilled output and the baselines at each budget, prepared as Parquet in the work directory. */
  private static Map<String, TrainingSet> trainingSets(StageContext ctx, Path out, JsonNode manifest,
      List<Integer> budgets, Ingested data, String observer, int classes) {
    DistillConfig c = ctx.config();
    DistillConfig.Evaluate e = c.evaluate();
    // Stitched images get RDED's ShufflePatches + RandomResizedCrop; the baselines are natural images.
    int factor = manifest.path("rded").path("factor").asInt(1);
    Map<String, TrainingSet> sets = new LinkedHashMap<>();
    for (int k : budgets) {
      StudentOptions protocol = new StudentOptions(e.epochs(), batchSize(e, k, classes), e.learningRate(),
          e.weightDecay(), e.temperature(), LabelMode.HARD, e.evalEvery(), e.evalFrom(), 0, 1);
      String which = k == manifest.get("ipc").asInt() ? "" : " (the first " + k + " per class)";
      add(sets, new TrainingSet("rded", k, ctx.stage("eval-prepare", "Decoding the distilled images" + which,
          () -> distilledSet(ctx, out, k, manifest)), protocol.withFactor(factor)));
      if (e.baselines().contains("random")) {
        add(sets, new TrainingSet("random", k, ctx.stage("eval-prepare",
            "Sampling and labelling the random baseline at IPC " + k, () -> randomSet(ctx, data, observer, k)),
            protocol));
      }
    }
    if (e.baselines().contains("full")) {
      add(sets, new TrainingSet("full", null, data.trainPath(), new StudentOptions(e.fullEpochs(),
          e.fullBatchSize(), e.learningRate(), e.weightDecay(), e.temperature(), LabelMode.HARD, 1, 0, 0, 1)));
    }
    return sets;
  }

  /** A seeded random real subset of {@code k} per class, labelled by the observer, as Parquet. */
  private static String randomSet(StageContext ctx, Ingested data, String observer, int k) {
    DistillConfig c = ctx.config();
    String path = ctx.work("random-" + k + ".parquet").toString();
    Dataset<Row> subset = ScoreStage.perClassSample(data.train(), c.seed(), "random-baseline", k);
    new ImageLogitsTransformer().setModelUri(observer).setBatchSize(c.inference().batchSize())
        .setDevice(c.inference().device()).setOutputCol("soft_label")
        .transform(subset).write().parquet(path);
    return path;
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

  private static void write(FileSystem fs, Path out, ObjectNode report) {
    try {
      FileReplacement.write(fs, out, FILE, JSON.writeValueAsBytes(report));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + FILE, e);
    }
  }

}
