package dev.distill.job.eval;

import static org.apache.spark.sql.functions.col;

import dev.distill.job.common.ClassBalancedSample;
import dev.distill.job.output.ImageEncoding;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The random baselines: class-balanced real images in a seeded random order per class, either a
 * fixed count per class ({@code random-ipc}, what papers compare with) or as many as fit the bytes
 * a distilled output spends ({@code random}): images are taken round-robin over the classes — one
 * more per class each round — each charged its size as an 8-bit PNG (what the output's images are)
 * plus the output's label bytes per image, until the next one would pass the budget. Class counts
 * then differ by at most one, and the budget left is less than one image per class.
 */
final class RealSubset {
  /** The chosen records (id, label, pixels) and what they cost. */
  record Choice(Dataset<Row> records, int images, long imageBytes, long labelBytes) {}

  private static final StructType SIZED = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("bytes", DataTypes.IntegerType, false);

  private RealSubset() {}

  static Choice perClass(Dataset<Row> train, long seed, int k, int channels, double labelBytesPerImage) {
    Dataset<Row> ranked = ClassBalancedSample.ranked(train, seed, "random-baseline", k);
    List<Row> sized = sizes(ranked, channels);
    long bytes = sized.stream().mapToLong(r -> r.getInt(3)).sum();
    return new Choice(ranked.drop("rank"), sized.size(), bytes, Math.round(sized.size() * labelBytesPerImage));
  }

  /**
   * As many images as fit {@code budget} bytes (images + labels), round-robin over the classes.
   * Fails when a class runs out of images before the budget does.
   */
  static Choice equalBytes(Dataset<Row> train, long seed, long budget, int classes, int expectedPerClass,
      int channels, double labelBytesPerImage) {
    int cap = 2 * expectedPerClass + 8;
    while (true) {
      Dataset<Row> ranked = ClassBalancedSample.ranked(train, seed, "random-baseline", cap);
      Map<Integer, List<Row>> byClass = new TreeMap<>();
      for (Row r : sizes(ranked, channels)) {
        byClass.computeIfAbsent(r.getInt(1), c -> new ArrayList<>()).add(r);
      }
      byClass.values().forEach(l -> l.sort(Comparator.comparingInt(r -> r.getInt(2))));
      List<String> chosen = new ArrayList<>();
      long imageBytes = 0;
      boolean exhausted = false;
      rounds:
      for (int round = 0; ; round++) {
        for (int c = 0; c < classes; c++) {
          List<Row> candidates = byClass.getOrDefault(c, List.of());
          if (round >= candidates.size()) {
            exhausted = candidates.size() == cap; // more exist beyond the cap: look further
            if (!exhausted) {
              throw new IllegalStateException("class " + c + " has only " + candidates.size()
                  + " training images, fewer than a random subset of " + budget + " bytes needs");
            }
            break rounds;
          }
          Row next = candidates.get(round);
          if (imageBytes + (chosen.size() + 1) * labelBytesPerImage + next.getInt(3) > budget) {
            break rounds;
          }
          imageBytes += next.getInt(3);
          chosen.add(next.getString(0));
        }
      }
      if (exhausted) {
        cap *= 2;
        continue;
      }
      Dataset<Row> records = ranked.where(col("id").isin(chosen.toArray())).drop("rank");
      return new Choice(records, chosen.size(), imageBytes, Math.round(chosen.size() * labelBytesPerImage));
    }
  }

  /** (id, label, rank, PNG bytes) of every ranked record, collected: a few per class. */
  private static List<Row> sizes(Dataset<Row> ranked, int channels) {
    return ranked.map((MapFunction<Row, Row>) new PngSize(channels), Encoders.row(SIZED)).collectAsList();
  }

  private record PngSize(int channels) implements MapFunction<Row, Row>, Serializable {
    @Override
    public Row call(Row r) {
      byte[] pixels = r.getAs("pixels");
      return RowFactory.create(r.getAs("id"), r.getAs("label"), ((Number) r.getAs("rank")).intValue(),
          ImageEncoding.PNG8.encode(pixels, channels).length);
    }
  }
}
