package dev.distill.job.stage;

import dev.distill.job.read.ClassMapping;
import dev.distill.udf.image.PatchStitcher;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.ml.SparkImages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
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
 * the source ids, crop boxes (x, y, side) and scores of its patches, in grid-cell order.
 */
public final class ComposeStage {
  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("pixels", DataTypes.BinaryType, false)
      .add("patches", new ArrayType(DataTypes.BinaryType, false), false)
      .add("sources", new ArrayType(DataTypes.StringType, false), false)
      .add("boxes", new ArrayType(new ArrayType(DataTypes.IntegerType, false), false), false)
      .add("scores", new ArrayType(DataTypes.DoubleType, false), false);

  private ComposeStage() {}

  public static Dataset<Row> run(StageContext ctx, Dataset<Row> selected, ClassMapping classes) {
    int factor = ctx.config().rded().factor();
    int side = ctx.config().input().imageSize();
    int channels = ctx.config().input().channels();
    return selected
        .groupByKey((MapFunction<Row, Integer>) r -> r.getAs("label"), Encoders.INT())
        .flatMapGroups(new Stitch(factor, side, channels, classes), Encoders.row(SCHEMA));
  }

  /** Composed image id: the class folder and the image's index within the class. */
  static String imageId(ClassMapping classes, int label, int index) {
    return classes.folder(label) + "/" + String.format("%05d", index);
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
        out.add(RowFactory.create(imageId(classes, label, j), label, images.get(j).data(),
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
