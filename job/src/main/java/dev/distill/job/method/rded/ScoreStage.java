package dev.distill.job.method.rded;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

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
import dev.distill.udf.image.CropBox;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.image.RandomSquareCrop;
import dev.distill.udf.image.Resampler;
import dev.distill.udf.ml.ImageLogitsTransformer;
import dev.distill.udf.random.StableRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * RDED stage 1 (key-patch extraction): per class a random pool of {@code pool-size} images; per
 * image {@code crops-per-image} random square crops resized to the patch side; each crop scored by
 * the observer (zero-padded to full size when smaller); the lowest cross-entropy crop per image.
 *
 * <p>Output: id, label, crop (index of the winning draw), x, y, side (its box in the source),
 * patch (planar pixels at the patch side) and ce. The patch is quantised to 8 bits before it is
 * scored, so the stored pixels are exactly the ones the observer judged.
 */
public final class ScoreStage implements Stage<Void> {
  static final String NAME = "score";
  /** The best crop of each pool image: id, label, crop, x, y, side, patch, ce. */
  public static final String SCORED = "rded_scored";
  static final StructType CROPS = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("crop", DataTypes.IntegerType, false)
      .add("x", DataTypes.IntegerType, false)
      .add("y", DataTypes.IntegerType, false)
      .add("side", DataTypes.IntegerType, false)
      .add("patch", DataTypes.BinaryType, false);

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
    return List.of(Tables.dir(SCORED));
  }

  @Override
  public Object settings(StageContext ctx) {
    DistillConfig c = ctx.config();
    RdedSettings r = Rded.settings(c);
    return Map.of("seed", c.seed(), "factor", r.factor(), "crops_per_image", r.cropsPerImage(),
        "pool_size", r.poolSize(), "min_scale", r.minScale(), "max_scale", r.maxScale(),
        "inference", c.inference(), "partitions", c.input().partitions());
  }

  @Override
  public String description(StageContext ctx) {
    return "Scoring " + Rded.settings(ctx.config()).cropsPerImage() + " crops per pool image with "
        + ctx.summary(ObserveStage.NAME, ObserverSummary.class).primary().architecture();
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    DistillConfig c = ctx.config();
    RdedSettings r = Rded.settings(c);
    ObserverSummary observer = ctx.summary(ObserveStage.NAME, ObserverSummary.class);
    Dataset<Row> pool = ClassBalancedSample.of(ctx.table(Tables.TRAIN), c.seed(), "pool", r.poolSize());
    int patchSide = c.input().imageSize() / r.factor();
    Dataset<Row> crops = pool.flatMap(new Crops(c.seed(), r.cropsPerImage(), r.minScale(),
        r.maxScale(), patchSide, c.input().channels()), Encoders.row(CROPS));
    Dataset<Row> scored = new ImageLogitsTransformer()
        .setModelUri(observer.location())
        .setBatchSize(c.inference().batchSize())
        .setDevice(c.inference().device())
        .setInputCol("patch")
        .transform(StablePartitions.of(crops, c.input().partitions(), "crop"))
        .withColumn("ce", CrossEntropy.of("logits", "label"))
        .drop("logits");
    var bestFirst = Window.partitionBy("id").orderBy(col("ce"), col("crop"));
    ctx.saveTable(SCORED, scored.withColumn("n", row_number().over(bestFirst)).where(col("n").equalTo(1)).drop("n"));
    return null;
  }

  private record Crops(long seed, int count, double minScale, double maxScale, int side, int channels)
      implements FlatMapFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Row row) {
      String id = row.getString(0);
      int label = row.getInt(1);
      byte[] pixels = row.getAs(2);
      int full = (int) Math.round(Math.sqrt(pixels.length / (double) channels));
      PixelImage image = new PixelImage(channels, full, full, pixels);
      RandomSquareCrop sampler = new RandomSquareCrop(minScale, maxScale);
      SplittableRandom random = StableRandom.of(seed, "crop", id);
      List<Row> out = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        CropBox box = sampler.sample(full, full, random);
        PixelImage patch = Resampler.cropResize(image, box, side);
        out.add(RowFactory.create(id, label, k, box.x(), box.y(), box.side(), patch.data()));
      }
      return out.iterator();
    }
  }
}
