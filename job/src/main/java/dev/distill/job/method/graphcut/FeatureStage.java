package dev.distill.job.method.graphcut;

import static org.apache.spark.sql.functions.col;

import dev.distill.job.common.ClassBalancedSample;
import dev.distill.job.common.CrossEntropy;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.ObserveStage;
import dev.distill.job.common.ObserverSummary;
import dev.distill.job.common.StablePartitions;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.ml.ImageLogitsTransformer;
import dev.distill.udf.ml.SparkImages;
import dev.distill.udf.palette.MedianCut;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Describes every image of the per-class pool for the graph cut, on executors: the observer's
 * cross-entropy on it ({@code ce}, lower is more realistic) and a unit feature vector
 * ({@code features}: the observer's penultimate embedding, the colour histogram, or both, each
 * unit-scaled and concatenated). With {@code quantise-colours = K} both are taken on the image's
 * median-cut K-colour version. Features are float arrays, not ML vectors: half the bytes (a
 * ConvNet-3 embedding is 2,048 values; Fashion-MNIST's pool is 55,000 images).
 */
final class FeatureStage implements Stage<Void> {
  static final String NAME = "features";
  /** id, label, pixels, ce, features. */
  static final String TABLE = "graphcut_features";
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("pixels", DataTypes.BinaryType, false)
      .add("ce", DataTypes.DoubleType, false)
      .add("features", new ArrayType(DataTypes.FloatType, false), false);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(IngestStage.NAME, ObserveStage.NAME);
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(TABLE));
  }

  @Override
  public Object settings(StageContext ctx) {
    DistillConfig c = ctx.config();
    GraphCutSettings s = GraphCutMethod.settings(c);
    return Map.of("seed", c.seed(), "features", s.features(), "histogram_bins", s.histogramBins(),
        "quantise_colours", s.quantiseColours(), "pool_size", s.poolSize(), "inference", c.inference(),
        "partitions", c.input().partitions());
  }

  @Override
  public String description(StageContext ctx) {
    return "Describing the pool for the graph cut (" + GraphCutMethod.settings(ctx.config()).features() + ", "
        + ctx.summary(ObserveStage.NAME, ObserverSummary.class).primary().architecture() + ")";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    DistillConfig c = ctx.config();
    GraphCutSettings s = GraphCutMethod.settings(c);
    int channels = c.input().channels();
    Dataset<Row> pool = ClassBalancedSample.of(ctx.table(Tables.TRAIN), c.seed(), "graphcut-pool",
        s.poolSize() == 0 ? Integer.MAX_VALUE : s.poolSize());
    Dataset<Row> views = StablePartitions.of(pool, c.input().partitions())
        .map(new View(s.quantiseColours(), channels), Encoders.row(Tables.RECORDS.add("view", DataTypes.BinaryType, false)));
    String model = ctx.summary(ObserveStage.NAME, ObserverSummary.class).location();
    Dataset<Row> scored = transformer(c, model, ImageLogitsTransformer.LOGITS, "logits").transform(views)
        .withColumn("ce", CrossEntropy.of("logits", "label")).drop("logits");
    if (s.needsEmbedding()) {
      scored = transformer(c, model, ImageLogitsTransformer.EMBEDDING, "embedding").transform(scored);
    }
    boolean embedding = s.needsEmbedding();
    StructType in = scored.schema();
    Dataset<Row> described = scored.map(new Describe(s.features(), s.histogramBins(), channels,
        new int[] {in.fieldIndex("id"), in.fieldIndex("label"), in.fieldIndex("pixels"), in.fieldIndex("ce")},
        in.fieldIndex("view"), embedding ? in.fieldIndex("embedding") : -1), Encoders.row(SCHEMA));
    ctx.saveTable(TABLE, described.select(col("id"), col("label"), col("pixels"), col("ce"), col("features")));
    return null;
  }

  private static ImageLogitsTransformer transformer(DistillConfig c, String model, String layer, String out) {
    return new ImageLogitsTransformer().setModelUri(model).setLayer(layer).setOutputCol(out)
        .setBatchSize(c.inference().batchSize()).setDevice(c.inference().device()).setInputCol("view");
  }

  /** Adds {@code view}: the pixels the features are taken on (median-cut K colours, or as they are). */
  private record View(int colours, int channels) implements MapFunction<Row, Row> {
    @Override
    public Row call(Row row) {
      byte[] pixels = row.getAs(2);
      byte[] view = colours == 0 ? pixels
          : MedianCut.quantise(SparkImages.fromPlanar(pixels, channels), colours).toPixels().data();
      return RowFactory.create(row.get(0), row.get(1), pixels, view);
    }
  }

  /**
   * id, label, pixels, ce (at positions {@code kept}) and the unit feature vector. By position:
   * rows from a fused typed operation carry no schema.
   */
  private record Describe(String features, int bins, int channels, int[] kept, int view, int embedding)
      implements MapFunction<Row, Row> {
    @Override
    public Row call(Row row) {
      float[] vector;
      if (features.equals(GraphCutSettings.EMBEDDING)) {
        vector = GraphCut.unit(floats(row, embedding));
      } else {
        float[] histogram = GraphCut.unit(ColourHistogram.of(SparkImages.fromPlanar(row.getAs(view), channels), bins));
        vector = embedding < 0 ? histogram : concatenate(GraphCut.unit(floats(row, embedding)), histogram);
      }
      return RowFactory.create(row.get(kept[0]), row.get(kept[1]), row.get(kept[2]), row.get(kept[3]), vector);
    }
  }

  /** Two unit vectors side by side, scaled by 1/√2 so the result is a unit vector again. */
  static float[] concatenate(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    float scale = (float) Math.sqrt(0.5);
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * scale;
    }
    for (int i = 0; i < b.length; i++) {
      out[a.length + i] = b[i] * scale;
    }
    return out;
  }

  /**
   * Column {@code column} of {@code row} as floats. Spark hands an array column over as a Scala sequence,
   * or as the {@code float[]} itself when the optimiser fused two typed operations.
   */
  static float[] floats(Row row, int column) {
    if (row.get(column) instanceof float[] direct) {
      return direct;
    }
    List<Float> values = row.getList(column);
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
