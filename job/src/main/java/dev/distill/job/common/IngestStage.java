package dev.distill.job.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.distill.job.config.DistillConfig;
import dev.distill.job.config.Redaction;
import dev.distill.job.read.ClassMapping;
import dev.distill.job.read.ImageSource;
import dev.distill.job.read.InputError;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.image.Normalization;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the train (and optional test) split, separates rejects, checks labels against the class
 * list, enforces the reject ceiling, and stores the clean records as tables {@code train} and
 * {@code test} and the rejects as {@code rejects}. Its settings include a listing of the input
 * (paths, lengths, modification times), so changed input data is never taken for the old.
 */
public final class IngestStage implements Stage<IngestSummary> {
  public static final String NAME = "ingest";
  private static final Logger LOG = LoggerFactory.getLogger(IngestStage.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of();
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(Tables.TRAIN), Tables.dir(Tables.VALIDATION), Tables.dir(Tables.TEST),
        Tables.dir(Tables.REJECTS));
  }

  @Override
  public Object settings(StageContext ctx) {
    DistillConfig.Input in = ctx.config().input();
    Map<String, Object> s = new TreeMap<>();
    s.put("input", in);
    if (in.validation() > 0) {
      s.put("seed", ctx.config().seed()); // draws the validation slice
    }
    s.put("train_files", listing(in, in.path(), ctx));
    s.put("test_files", in.testPath() == null ? List.of() : listing(in, in.testPath(), ctx));
    return s;
  }

  /** The input's files; an IDX images file is read with its labels file, so both count. */
  private static List<InputListing> listing(DistillConfig.Input in, String path, StageContext ctx) {
    return in.format().equals("idx")
        ? List.of(InputListing.of(path, ctx.hadoop()), InputListing.of(path.replace("images-idx3", "labels-idx1"), ctx.hadoop()))
        : List.of(InputListing.of(path, ctx.hadoop()));
  }

  @Override
  public String description(StageContext ctx) {
    return "Reading and validating " + Redaction.uris(ctx.config().input().path());
  }

  @Override
  public Class<IngestSummary> summaryType() {
    return IngestSummary.class;
  }

  @Override
  public IngestSummary run(StageContext ctx) {
    DistillConfig.Input in = ctx.config().input();
    ImageSource source = ImageSource.forFormat(in.format());
    ImageSource.Result train = source.read(ctx.spark(), in.path(), in);
    ClassMapping classes = classes(ctx, train);
    if (classes.size() < 2) {
      throw new InputError(in.path() + ": the dataset has one class (" + classes.names() + "); distillation needs at"
          + " least two (a soft label over one class carries nothing, and the observer cannot learn)");
    }
    String trainPath = ctx.tablePath(Tables.TRAIN);
    Dataset<Row> trainRecords = checkLabels(train.records(), classes, "train").cache();
    Dataset<Row> cleanTrain = trainRecords.where(col("reject").isNull()).select("id", "label", "pixels");
    long validation = 0;
    if (in.validation() > 0) {
      validation = ValidationSplit.save(ctx, cleanTrain, in.validation()).values().stream().mapToLong(Long::longValue).sum();
    } else {
      ctx.saveTable(Tables.TRAIN, cleanTrain);
    }

    Dataset<Row> rejects = trainRecords.where(col("reject").isNotNull())
        .select(lit("train").as("split"), col("id"), col("reject").as("reason"));
    long records = trainRecords.count();
    long testImages = 0;
    if (in.testPath() != null) {
      ImageSource.Result test = source.read(ctx.spark(), in.testPath(), in);
      sameClasses(train, test, in);
      Dataset<Row> testRecords = checkLabels(test.records(), classes, "test").cache();
      ctx.saveTable(Tables.TEST, testRecords.where(col("reject").isNull()).select("id", "label", "pixels"));
      rejects = rejects.union(testRecords.where(col("reject").isNotNull())
          .select(lit("test").as("split"), col("id"), col("reject").as("reason")));
      records += testRecords.count();
      testImages = ctx.spark().read().parquet(ctx.tablePath(Tables.TEST)).count();
      testRecords.unpersist();
      if (in.overlapCheck() > 0) {
        TrainTestOverlap.check(ctx, in.overlapCheck(), in.validation() > 0);
      }
    }
    ctx.saveTable(Tables.REJECTS, rejects);
    rejects = ctx.table(Tables.REJECTS);
    long rejected = rejects.count();
    trainRecords.unpersist();
    if (records == 0) {
      throw new InputError(in.path() + ": no records found");
    }
    double fraction = (double) rejected / records;
    if (fraction > in.maxRejectFraction()) {
      List<String> examples = rejects.limit(5).collectAsList().stream()
          .map(r -> r.getString(1) + ": " + r.getString(2)).toList();
      throw new InputError(String.format(
          "%d of %d records (%.2f%%) were rejected, above distill.input.max-reject-fraction = %s; first ones:%n  %s",
          rejected, records, 100 * fraction, in.maxRejectFraction(), String.join("\n  ", examples)));
    }
    if (rejected > 0) {
      LOG.warn("{} of {} records rejected (listed in rejects.jsonl)", rejected, records);
    }
    Dataset<Row> clean = ctx.spark().read().parquet(trainPath);
    Map<Integer, Long> perClass = new TreeMap<>();
    for (Row r : clean.groupBy("label").count().collectAsList()) {
      perClass.put(r.getInt(0), r.getLong(1));
    }
    for (int c = 0; c < classes.size(); c++) {
      if (!perClass.containsKey(c)) {
        throw new InputError("class " + c + " ('" + classes.name(c) + "') has no readable training image in "
            + in.path());
      }
    }
    return new IngestSummary(classes, perClass, records, rejected, testImages, in.testPath() != null, validation,
        pixelStatistics(clean, in.channels()));
  }

  /**
   * Formats that name their classes (folders) must name the same ones in both splits: labels are
   * positions in the class list, so a class missing from one split would relabel the other.
   */
  private static void sameClasses(ImageSource.Result train, ImageSource.Result test, DistillConfig.Input in) {
    if (train.classes() == null || test.classes() == null || train.classes().names().equals(test.classes().names())) {
      return;
    }
    List<String> onlyTrain = train.classes().names().stream().filter(n -> !test.classes().names().contains(n)).toList();
    List<String> onlyTest = test.classes().names().stream().filter(n -> !train.classes().names().contains(n)).toList();
    throw new InputError("the test split (" + in.testPath() + ") and the training split (" + in.path() + ") name"
        + " different classes: only in training " + onlyTrain + ", only in test " + onlyTest + "; labels are"
        + " positions in the sorted class list, so both splits need the same class folders");
  }

  private static ClassMapping classes(StageContext ctx, ImageSource.Result read) {
    List<String> configured = ctx.config().input().classNames();
    if (!configured.isEmpty()) {
      if (read.classes() != null && read.classes().size() != configured.size()) {
        throw new InputError("distill.input.class-names lists " + configured.size()
            + " classes but the dataset has " + read.classes().size() + ": " + read.classes().names());
      }
      return new ClassMapping(configured);
    }
    if (read.classes() != null) {
      return read.classes();
    }
    Row max = read.records().where(col("reject").isNull()).agg(functions.max("label")).first();
    if (max.isNullAt(0)) {
      throw new InputError(ctx.config().input().path() + ": no readable record");
    }
    return ClassMapping.numbered(max.getInt(0) + 1);
  }

  /** Labels outside the class list become rejects rather than phantom classes. */
  private static Dataset<Row> checkLabels(Dataset<Row> records, ClassMapping classes, String split) {
    int n = classes.size();
    return records.withColumn("reject", when(col("reject").isNull()
            .and(col("label").lt(0).or(col("label").geq(n))),
        concat(lit("label "), col("label").cast("string"), lit(" outside the " + n + " classes")))
        .otherwise(col("reject")));
  }

  /**
   * Per-channel mean and std over all training pixels, from exact integer sums so the result does
   * not depend on the order in which partitions are combined.
   */
  static Normalization pixelStatistics(Dataset<Row> clean, int channels) {
    long[] sums = clean.select("pixels").javaRDD().mapPartitions((Iterator<Row> rows) -> {
      long[] acc = new long[2 * channels + 1];
      while (rows.hasNext()) {
        byte[] px = rows.next().getAs(0);
        int plane = px.length / channels;
        for (int c = 0; c < channels; c++) {
          for (int i = c * plane; i < (c + 1) * plane; i++) {
            int v = px[i] & 0xFF;
            acc[c] += v;
            acc[channels + c] += (long) v * v;
          }
        }
        acc[2 * channels] += plane;
      }
      return List.of(acc).iterator();
    }).reduce((a, b) -> {
      long[] s = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        s[i] = a[i] + b[i];
      }
      return s;
    });
    float[] mean = new float[channels];
    float[] std = new float[channels];
    double count = sums[2 * channels];
    for (int c = 0; c < channels; c++) {
      double m = sums[c] / count;
      double var = sums[channels + c] / count - m * m;
      mean[c] = (float) (m / 255.0);
      std[c] = (float) Math.max(Math.sqrt(Math.max(var, 0)) / 255.0, 1e-3);
    }
    return new Normalization(mean, std);
  }

}
