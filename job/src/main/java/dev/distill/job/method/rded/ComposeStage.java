package dev.distill.job.method.rded;

import dev.distill.job.common.ImageIds;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.read.ClassMapping;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.image.PatchStitcher;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.ml.SparkImages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * RDED stage 2: stitches each class's ranked patches into full-size images (factor × factor
 * patches each, official rank order, see {@link PatchStitcher}). Each image keeps its provenance:
 * the source ids, crop boxes (x, y, side) and scores of its patches, in grid-cell order, and
 * (for region-level labels) the patches themselves. Writes the {@code distilled} table.
 */
public final class ComposeStage implements Stage<Void> {
  static final String NAME = "compose";
  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("pixels", DataTypes.BinaryType, false)
      .add("patches", new ArrayType(DataTypes.BinaryType, false), false)
      .add("sources", new ArrayType(DataTypes.StringType, false), false)
      .add("boxes", new ArrayType(new ArrayType(DataTypes.IntegerType, false), false), false)
      .add("scores", new ArrayType(DataTypes.DoubleType, false), false);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(IngestStage.NAME, SelectStage.NAME);
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(Tables.DISTILLED));
  }

  @Override
  public Object settings(StageContext ctx) {
    RdedSettings r = Rded.settings(ctx.config());
    return Map.of("factor", r.factor(), "image_size", ctx.config().input().imageSize(),
        "channels", ctx.config().input().channels(), "patch_labels", r.patchLabels());
  }

  @Override
  public String description(StageContext ctx) {
    int f = Rded.settings(ctx.config()).factor();
    return "Stitching " + f + " x " + f + " patches per image";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    RdedSettings r = Rded.settings(ctx.config());
    int side = ctx.config().input().imageSize();
    int channels = ctx.config().input().channels();
    ClassMapping classes = ctx.summary(IngestStage.NAME, IngestSummary.class).classes();
    Dataset<Row> composed = ctx.table(SelectStage.SELECTED)
        .groupByKey((MapFunction<Row, Integer>) row -> row.getAs("label"), Encoders.INT())
        .flatMapGroups(new Stitch(r.factor(), side, channels, classes), Encoders.row(SCHEMA));
    // Patches travel only when they get labels of their own (label stage); otherwise they would
    // be stored for nothing.
    ctx.saveTable(Tables.DISTILLED, r.patchLabels() ? composed : composed.drop("patches"));
    return null;
  }

  private record Stitch(int factor, int side, int channels, ClassMapping classes)
      implements FlatMapGroupsFunction<Integer, Row, Row> {
    @Override
    public Iterator<Row> call(Integer label, Iterator<Row> rows) {
      List<Row> ranked = new ArrayList<>();
      rows.forEachRemaining(ranked::add);
      ranked.sort(Comparator.comparingInt(r -> r.<Integer>getAs("rank")));
      PatchStitcher stitcher = new PatchStitcher(factor, side);
      List<PixelImage> patches = new ArrayList<>();
      for (Row r : ranked) {
        patches.add(SparkImages.fromPlanar(r.getAs("patch"), channels));
      }
      List<PixelImage> images = stitcher.stitch(patches);
      List<Row> out = new ArrayList<>();
      for (int j = 0; j < images.size(); j++) {
        List<byte[]> cellPatches = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<List<Integer>> boxes = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int cell = 0; cell < factor * factor; cell++) {
          Row p = ranked.get(PatchStitcher.rankOf(cell, j, images.size()));
          cellPatches.add(p.getAs("patch"));
          sources.add(p.getAs("id"));
          boxes.add(List.of(p.<Integer>getAs("x"), p.<Integer>getAs("y"), p.<Integer>getAs("side")));
          scores.add(p.getAs("ce"));
        }
        out.add(RowFactory.create(ImageIds.of(classes, label, j), label, images.get(j).data(),
            scala(cellPatches), scala(sources), scala(boxes.stream().map(ComposeStage::scala).toList()),
            scala(scores)));
      }
      return out.iterator();
    }
  }

  /** Rows built by hand need Scala sequences for array columns. */
  static <T> scala.collection.Seq<T> scala(List<T> list) {
    return scala.collection.JavaConverters.asScalaBuffer(list).toList();
  }
}
