package dev.distill.job.common;

import static org.apache.spark.sql.functions.col;

import dev.distill.job.output.ImageEncoding;
import dev.distill.job.stage.Images;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import java.util.ArrayList;
import java.util.Arrays;
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
 * On-disk accounting's last word: each chosen image is encoded as it will be written (its
 * {@code encoding}, 8-bit PNG by default) and charged its file bytes plus its soft-label payload;
 * per class, the longest prefix of the images in the order chosen (their ids' index) that fits the
 * class's equal share of the budget is kept. Only sizes travel to the driver. Reads the images the
 * methods left, writes {@code fitted} with the same columns.
 */
public final class FitStage implements Stage<FitSummary> {
  public static final String NAME = "fit";
  public static final String TABLE = "fitted";
  private static final StructType SIZES = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("bytes", DataTypes.LongType, false)
      .add("labels", DataTypes.LongType, false);
  private final Images images;

  public FitStage(Images images) {
    this.images = images;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(IngestStage.NAME, images.stage());
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(TABLE));
  }

  @Override
  public Object settings(StageContext ctx) {
    return Map.of("budget_bytes", ctx.plan().budget().bytes(), "channels", ctx.config().input().channels());
  }

  @Override
  public String description(StageContext ctx) {
    return "Keeping per class what fits " + ctx.plan().budget().bytes() + " bytes on disk";
  }

  @Override
  public Class<FitSummary> summaryType() {
    return FitSummary.class;
  }

  @Override
  public FitSummary run(StageContext ctx) {
    Dataset<Row> chosen = ctx.table(images.table());
    int classes = ctx.summary(IngestStage.NAME, IngestSummary.class).classes().size();
    long share = ctx.plan().budget().bytes() / classes;
    long vector = ctx.plan().budget().shape().labelBytes();
    List<String> columns = Arrays.asList(chosen.columns());
    List<Row> sizes = chosen.map(new Size(ctx.config().input().channels(), vector, columns.indexOf(ImageEncoding.COLUMN),
        columns.indexOf("patches")), Encoders.row(SIZES)).collectAsList();
    Map<Integer, List<Row>> byClass = new TreeMap<>();
    for (Row r : sizes) {
      byClass.computeIfAbsent(r.getInt(1), k -> new ArrayList<>()).add(r);
    }
    List<String> kept = new ArrayList<>();
    Map<Integer, Integer> perClass = new TreeMap<>();
    long files = 0;
    long labels = 0;
    for (Map.Entry<Integer, List<Row>> e : byClass.entrySet()) {
      List<Row> rows = e.getValue();
      rows.sort(Comparator.comparing(r -> r.getString(0))); // ids end in the index of the order chosen
      long used = 0;
      int n = 0;
      for (Row r : rows) {
        if (used + r.getLong(2) + r.getLong(3) > share) {
          break;
        }
        used += r.getLong(2) + r.getLong(3);
        files += r.getLong(2);
        labels += r.getLong(3);
        kept.add(r.getString(0));
        n++;
      }
      perClass.put(e.getKey(), n);
    }
    Dataset<Row> keep = ctx.spark().createDataset(kept, Encoders.STRING()).toDF("id");
    ctx.saveTable(TABLE, chosen.join(keep, "id").select(chosen.columns()[0], Arrays.copyOfRange(chosen.columns(), 1,
        chosen.columns().length)));
    return new FitSummary(perClass, files, labels, share);
  }

  /** id, label, file bytes as written, label payload bytes (one vector, plus one per patch). */
  private record Size(int channels, long vector, int encoding, int patches) implements MapFunction<Row, Row> {
    @Override
    public Row call(Row row) {
      ImageEncoding codec = encoding < 0 ? ImageEncoding.PNG8 : ImageEncoding.valueOf(row.getString(encoding));
      long bytes = codec.encode(row.getAs("pixels"), channels).length;
      long vectors = 1 + (patches < 0 ? 0 : row.getList(patches).size());
      return RowFactory.create(row.getAs("id"), row.getAs("label"), bytes, vectors * vector);
    }
  }
}
