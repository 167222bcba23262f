package dev.distill.job.method.palette;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.distill.job.common.ObserveStage;
import dev.distill.job.output.ImageEncoding;
import dev.distill.job.stage.Images;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.ml.SparkImages;
import dev.distill.udf.palette.MedianCut;
import dev.distill.udf.palette.PaletteImage;
import dev.distill.udf.palette.PaletteNetwork;
import java.util.Arrays;
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
 * Re-colours the upstream images with K colours each and marks them for indexed-PNG storage
 * ({@code encoding}); {@code colours} says how many each kept. Patches (RDED's region labels) are
 * mapped to their image's palette, nearest colour, so their labels describe what is stored. Other
 * provenance columns pass through.
 */
final class QuantiseStage implements Stage<Void> {
  private final Images upstream;

  QuantiseStage(Images upstream) {
    this.upstream = upstream;
  }

  @Override
  public String name() {
    return Palette.STAGE;
  }

  @Override
  public List<String> reads() {
    return List.of(upstream.stage(), ObserveStage.NAME);
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(Palette.TABLE));
  }

  @Override
  public Object settings(StageContext ctx) {
    return Map.of("palette", Palette.settings(ctx.config()), "channels", ctx.config().input().channels(),
        "seed", ctx.config().seed(), "inference", ctx.config().inference());
  }

  @Override
  public String description(StageContext ctx) {
    PaletteSettings s = Palette.settings(ctx.config());
    return "Re-colouring every image with " + s.colours() + " colours (" + s.quantiser() + ")";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    PaletteSettings s = Palette.settings(ctx.config());
    Dataset<Row> images = ctx.table(upstream.table()).drop(ImageEncoding.COLUMN);
    StructType in = images.schema();
    StructType out = in.add("colours", DataTypes.IntegerType, false);
    PaletteNetwork network = s.quantiser().equals(PaletteSettings.NETWORK) ? PaletteNetworkTask.train(ctx, upstream) : null;
    Dataset<Row> quantised = images.map(new Quantise(s.colours(), network, ctx.config().input().channels(),
        in.fieldIndex("pixels"), Arrays.asList(in.fieldNames()).indexOf("patches")), Encoders.row(out));
    ctx.saveTable(Palette.TABLE, quantised.withColumn(ImageEncoding.COLUMN, lit(ImageEncoding.INDEXED_PNG.name())));
    return null;
  }

  /** Median cut per image, or the trained network's hard assignment when {@code network} is set. */
  private record Quantise(int colours, PaletteNetwork network, int channels, int pixels, int patches)
      implements MapFunction<Row, Row> {
    @Override
    public Row call(Row row) {
      PixelImage image = SparkImages.fromPlanar(row.getAs(pixels), channels);
      PaletteImage q = network == null ? MedianCut.quantise(image, colours) : network.quantise(image);
      Object[] values = new Object[row.length() + 1];
      for (int i = 0; i < row.length(); i++) {
        values[i] = row.get(i);
      }
      values[pixels] = q.toPixels().data();
      if (patches >= 0) {
        List<byte[]> cells = row.getList(patches);
        values[patches] = scala.collection.JavaConverters.asScalaBuffer(
            cells.stream().map(p -> q.nearest(SparkImages.fromPlanar(p, channels)).data()).toList()).toList();
      }
      values[row.length()] = q.colours();
      return RowFactory.create(values);
    }
  }
}
