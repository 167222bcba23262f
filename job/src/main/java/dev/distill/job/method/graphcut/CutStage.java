package dev.distill.job.method.graphcut;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.distill.job.common.ImageIds;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.read.ClassMapping;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.random.StableRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The graph-cut selection, classes in parallel: one Spark task per class chooses its
 * {@code perClass} images greedily ({@link GraphCut}) from the candidates inside the difficulty
 * band, against the whole class as ground set. With {@code parts-per-class = P > 1} a class is
 * split by a stable random key into P tasks that each choose {@code perClass} against their part,
 * and one task per class then chooses from their union against the whole class (two rounds, as in
 * GreeDi); the class's feature sum comes from per-part sums added on the driver in a fixed order,
 * so the result does not depend on task timing. Rows are sorted by id inside every task.
 *
 * <p>Writes {@code distilled}: the chosen images in the order chosen, with {@code source} (the
 * training id), {@code score} (the greedy score when chosen) and {@code ce}.
 */
final class CutStage implements Stage<Void> {
  static final String NAME = "graphcut";
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("pixels", DataTypes.BinaryType, false)
      .add("source", DataTypes.StringType, false)
      .add("score", DataTypes.DoubleType, false)
      .add("ce", DataTypes.DoubleType, false);
  private static final StructType SUMS = new StructType()
      .add("label", DataTypes.IntegerType, false)
      .add("part", DataTypes.IntegerType, false)
      .add("size", DataTypes.LongType, false)
      .add("sum", new ArrayType(DataTypes.DoubleType, false), false);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(IngestStage.NAME, FeatureStage.NAME);
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(Tables.DISTILLED));
  }

  @Override
  public Object settings(StageContext ctx) {
    GraphCutSettings s = GraphCutMethod.settings(ctx.config());
    return Map.of("seed", ctx.config().seed(), "per_class", ctx.plan().perClass(), "lambda", s.lambda(),
        "greedy", s.greedy(), "epsilon", s.epsilon(), "realism_weight", s.realismWeight(),
        "drop_easiest", s.dropEasiest(), "drop_hardest", s.dropHardest(), "parts_per_class", s.partsPerClass());
  }

  @Override
  public String description(StageContext ctx) {
    GraphCutSettings s = GraphCutMethod.settings(ctx.config());
    return "Choosing " + ctx.plan().perClass() + " images per class by graph cut (" + s.greedy() + " greedy, "
        + "realism weight " + s.realismWeight() + ")";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    GraphCutSettings s = GraphCutMethod.settings(ctx.config());
    long seed = ctx.config().seed();
    int perClass = ctx.plan().perClass();
    ClassMapping classes = ctx.summary(IngestStage.NAME, IngestSummary.class).classes();
    int parts = s.partsPerClass();
    var partOf = udf((UDF1<String, Integer>) id ->
        (int) Math.floorMod(StableRandom.key(seed, "graphcut-part", id), (long) parts), DataTypes.IntegerType);
    Dataset<Row> features = ctx.table(FeatureStage.TABLE).withColumn("part", partOf.apply(col("id")));
    Map<Integer, GraphCut.Ground> grounds = classGrounds(features);
    Dataset<Row> candidates = features;
    if (parts > 1) {
      candidates = features
          .groupByKey((MapFunction<Row, String>) r -> r.getAs("label") + "/" + r.getAs("part"), Encoders.STRING())
          .flatMapGroups(new Round(s, seed, perClass, null, null), Encoders.row(features.schema()));
    }
    ctx.saveTable(Tables.DISTILLED, candidates
        .groupByKey((MapFunction<Row, String>) r -> String.valueOf(r.<Integer>getAs("label")), Encoders.STRING())
        .flatMapGroups(new Round(s, seed, perClass, grounds, classes), Encoders.row(SCHEMA)));
    return null;
  }

  /** Each class's size and feature sum, from per-part sums added in (class, part) order. */
  private static Map<Integer, GraphCut.Ground> classGrounds(Dataset<Row> features) {
    List<Row> sums = features
        .groupByKey((MapFunction<Row, String>) r -> r.getAs("label") + "/" + r.getAs("part"), Encoders.STRING())
        .mapGroups((MapGroupsFunction<String, Row, Row>) (key, rows) -> {
          List<Row> sorted = sortedById(rows);
          GraphCut.Ground g = GraphCut.Ground.of(sorted.stream()
              .map(r -> FeatureStage.floats(r, r.fieldIndex("features"))).toArray(float[][]::new));
          return RowFactory.create(sorted.get(0).getAs("label"), sorted.get(0).getAs("part"), g.size(), g.sum());
        }, Encoders.row(SUMS))
        .orderBy("label", "part").collectAsList();
    Map<Integer, GraphCut.Ground> grounds = new HashMap<>();
    for (Row r : sums) {
      double[] sum = r.<Double>getList(3).stream().mapToDouble(Double::doubleValue).toArray();
      grounds.merge(r.getInt(0), new GraphCut.Ground(r.getLong(2), sum), (a, b) -> {
        double[] total = a.sum().clone();
        for (int j = 0; j < total.length; j++) {
          total[j] += b.sum()[j];
        }
        return new GraphCut.Ground(a.size() + b.size(), total);
      });
    }
    return grounds;
  }

  static List<Row> sortedById(Iterator<Row> rows) {
    List<Row> sorted = new ArrayList<>();
    rows.forEachRemaining(sorted::add);
    sorted.sort(Comparator.comparing(r -> r.<String>getAs("id")));
    return sorted;
  }

  /**
   * One greedy round over one group. {@code grounds == null}: a first round over a part, against
   * the part, keeping the band and returning the chosen feature rows. Otherwise the final round
   * of a class, against the class, returning distilled rows.
   */
  private record Round(GraphCutSettings s, long seed, int perClass, Map<Integer, GraphCut.Ground> grounds,
      ClassMapping classes) implements FlatMapGroupsFunction<String, Row, Row> {
    @Override
    public Iterator<Row> call(String key, Iterator<Row> rows) {
      List<Row> all = sortedById(rows);
      int label = all.get(0).getAs("label");
      boolean last = grounds != null;
      List<Row> band = last && s.partsPerClass() > 1 ? all : band(all);
      float[][] features = band.stream().map(r -> FeatureStage.floats(r, r.fieldIndex("features")))
          .toArray(float[][]::new);
      double[] realism = band.stream().mapToDouble(r -> Math.exp(-r.<Double>getAs("ce"))).toArray();
      GraphCut.Ground ground = last ? grounds.get(label) : GraphCut.Ground.of(all.stream()
          .map(r -> FeatureStage.floats(r, r.fieldIndex("features"))).toArray(float[][]::new));
      GraphCut cut = new GraphCut(s.lambda(), s.realismWeight());
      GraphCut.Selection chosen = s.greedy().equals(GraphCutSettings.STOCHASTIC)
          ? cut.stochastic(ground, features, realism, perClass, s.epsilon(), StableRandom.of(seed, "graphcut", key))
          : cut.exact(ground, features, realism, perClass);
      List<Row> out = new ArrayList<>();
      for (int i = 0; i < chosen.order().length; i++) {
        Row r = band.get(chosen.order()[i]);
        out.add(!last ? r : RowFactory.create(ImageIds.of(classes, label, i), label, r.getAs("pixels"),
            r.getAs("id"), chosen.scores()[i], r.getAs("ce")));
      }
      return out.iterator();
    }

    /** The rows whose cross-entropy rank lies inside the band (ties by id). */
    private List<Row> band(List<Row> all) {
      List<Row> byCe = new ArrayList<>(all);
      byCe.sort(Comparator.<Row>comparingDouble(r -> r.getAs("ce")).thenComparing(r -> r.<String>getAs("id")));
      int from = (int) Math.floor(s.dropEasiest() * byCe.size());
      int to = byCe.size() - (int) Math.floor(s.dropHardest() * byCe.size());
      List<Row> kept = new ArrayList<>(byCe.subList(from, Math.max(from, to)));
      kept.sort(Comparator.comparing(r -> r.<String>getAs("id")));
      return kept;
    }
  }
}
