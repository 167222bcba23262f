package dev.distill.job.method.infer;

import dev.distill.job.common.IngestStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.common.ImageIds;
import dev.distill.job.common.ObserveStage;
import dev.distill.job.common.ObserverSummary;
import dev.distill.job.common.TrainingTasks;
import dev.distill.job.config.ConfigError;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.stage.Images;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.infer.CompensatorTrainer;
import dev.distill.udf.infer.StoredCompensator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optimises the compensators and lays out the training set they make. Slot k is the k-th upstream
 * image (by id) of every class; each (slot, teacher) pair is one Spark task ({@link
 * CompensatorTask}). The table it leaves holds the natural images as they were and, after them in
 * each class, the composites (slot-major, then teacher: index n + k·M + m), each naming its {@code
 * natural} image and its {@code compensator}; its pixels are the composite exactly as readers will
 * rebuild it, so the label stage labels what students see. The compensators go to table {@link
 * Tables#COMPENSATORS}.
 */
final class CompensateStage implements Stage<Void> {
  private static final Logger LOG = LoggerFactory.getLogger(CompensateStage.class);

  private final Images upstream;

  CompensateStage(Images upstream) {
    this.upstream = upstream;
  }

  @Override
  public String name() {
    return Infer.STAGE;
  }

  @Override
  public List<String> reads() {
    return List.of(upstream.stage(), ObserveStage.NAME);
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(Infer.TABLE), Tables.dir(Tables.COMPENSATORS));
  }

  @Override
  public Object settings(StageContext ctx) {
    return Map.of("infer", Infer.settings(ctx.config()), "seed", ctx.config().seed(), "channels",
        ctx.config().input().channels(), "image_size", ctx.config().input().imageSize());
  }

  @Override
  public String description(StageContext ctx) {
    return "Optimising feature compensators (" + Infer.settings(ctx.config()).iterations() + " iterations each)";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    DistillConfig c = ctx.config();
    InferSettings s = Infer.settings(c);
    ObserverSummary observers = ctx.summary(ObserveStage.NAME, ObserverSummary.class);
    List<String> teachers = observers.teachers(true);
    // By architecture, not location: where the observers live differs between runs that share them.
    List<String> names = observers.trainedLocations().isEmpty() ? List.of(observers.primary().architecture())
        : c.observer().architectures();
    if (teachers.size() != s.teachers()) {
      throw new ConfigError("infer: the budget was planned for " + s.teachers() + " teacher(s) (distill.observer"
          + ".architectures) but the observer stage has " + teachers.size() + " (a pre-trained distill.observer.path"
          + " holds one); list as many architectures as there are teachers");
    }
    var classes = ctx.summary(IngestStage.NAME, IngestSummary.class).classes();
    int channels = c.input().channels();
    int size = c.input().imageSize();
    Dataset<Row> images = ctx.table(upstream.table());
    StructType in = images.schema();
    List<List<Row>> byClass = byClass(images, classes.size());
    int slots = byClass.stream().mapToInt(List::size).min().orElse(0);
    List<byte[]> naturals = new ArrayList<>();
    for (int k = 0; k < slots; k++) {
      naturals.add(slot(byClass, k));
    }
    CompensatorTask task = new CompensatorTask(naturals, teachers, classes.size(), channels, size,
        new CompensatorTrainer.Options(s.iterations(), s.learningRate(), s.bnWeight(), s.firstBnWeight(), s.maxShift(),
            c.seed()), c.inference().device(), new HadoopConf(ctx.hadoop()));
    List<Integer> pairs = IntStream.range(0, slots * teachers.size()).boxed().toList();
    List<CompensatorTask.Result> results = TrainingTasks.of(ctx.spark(), pairs, c.trainingTaskCpus()).map(task).collect();

    StructType out = in.add("natural", DataTypes.StringType, true).add("compensator", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    List<Row> compensators = new ArrayList<>();
    int idAt = in.fieldIndex("id");
    for (int label = 0; label < classes.size(); label++) {
      for (int k = 0; k < slots; k++) {
        rows.add(with(byClass.get(label).get(k), null, null, null, null));
      }
    }
    for (int p = 0; p < results.size(); p++) {
      int k = p / teachers.size();
      int m = p % teachers.size();
      String id = String.format("slot%05d-teacher%d", k, m);
      CompensatorTask.Result r = results.get(p);
      compensators.add(RowFactory.create(id, k, names.get(m), r.compensator()));
      log(id, r, StoredCompensator.fromBytes(r.compensator(), channels, size, size).scale());
      int chw = channels * size * size;
      for (int label = 0; label < classes.size(); label++) {
        Row natural = byClass.get(label).get(k);
        byte[] composite = Arrays.copyOfRange(r.composites(), label * chw, (label + 1) * chw);
        rows.add(with(natural, ImageIds.of(classes, label, slots + p), composite, natural.getString(idAt), id));
      }
    }
    ctx.saveTable(Infer.TABLE, ctx.spark().createDataFrame(rows, out));
    ctx.saveTable(Tables.COMPENSATORS, ctx.spark().createDataFrame(compensators, new StructType()
        .add("id", DataTypes.StringType, false).add("slot", DataTypes.IntegerType, false)
        .add("teacher", DataTypes.StringType, false).add("data", DataTypes.BinaryType, false)));
    return null;
  }

  /** The upstream images of each class (index = label), by id; fails unless every class has one. */
  private List<List<Row>> byClass(Dataset<Row> images, int classes) {
    List<List<Row>> byClass = new ArrayList<>();
    for (int label = 0; label < classes; label++) {
      byClass.add(new ArrayList<>());
    }
    for (Row r : images.orderBy("label", "id").collectAsList()) {
      byClass.get(r.<Integer>getAs("label")).add(r);
    }
    long empty = byClass.stream().filter(List::isEmpty).count();
    if (empty > 0) {
      throw new IllegalStateException("infer needs an image of every class from upstream stage " + upstream.stage()
          + "; " + empty + " of " + classes + " classes have none");
    }
    return byClass;
  }

  /** Slot k's natural images, one per class in label order (planar 8-bit, concatenated). */
  private static byte[] slot(List<List<Row>> byClass, int k) {
    java.io.ByteArrayOutputStream slot = new java.io.ByteArrayOutputStream();
    for (List<Row> rows : byClass) {
      slot.writeBytes(rows.get(k).getAs("pixels"));
    }
    return slot.toByteArray();
  }

  private static void log(String id, CompensatorTask.Result r, float scale) {
    List<float[]> loss = r.lossByTenth();
    float[] first = loss.get(0);
    float[] last = loss.get(loss.size() - 1);
    LOG.info("compensator {}: loss {} -> {} (cross-entropy {} -> {}, BatchNorm {} -> {}), scale {}; teacher on its"
        + " composites as optimised: accuracy {}, CE {}; as stored (int8, clamped 8-bit): accuracy {}, CE {}", id,
        first[0], last[0], first[1], last[1], first[2], last[2], scale, r.optimised()[0], r.optimised()[1],
        r.stored()[0], r.stored()[1]);
  }

  /** {@code row} with its id and pixels replaced (when not null) and the two INFER columns appended. */
  private static Row with(Row row, String id, byte[] pixels, String natural, String compensator) {
    Object[] values = new Object[row.length() + 2];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    if (id != null) {
      values[row.fieldIndex("id")] = id;
      values[row.fieldIndex("pixels")] = pixels;
    }
    values[row.length()] = natural;
    values[row.length() + 1] = compensator;
    return RowFactory.create(values);
  }
}
