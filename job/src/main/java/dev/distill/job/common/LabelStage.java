package dev.distill.job.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import dev.distill.job.config.DistillConfig;
import dev.distill.job.stage.Images;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.ml.ImageLogitsTransformer;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Soft labels from the observer: the logits of every distilled image ({@code soft_label}; the
 * label at temperature T is softmax(logits / T)), or with {@code distill.label.teachers = all} the
 * mean of every trained observer's logits, element by element. When the methods left a {@code patches} column
 * (RDED with {@code label-granularity = patch}) also one vector per patch
 * ({@code patch_soft_labels}, grid-cell order), each patch zero-padded to full size as when it was
 * scored: the region-level labels the RDED paper describes. Reads the table the methods left their
 * images in ({@code distilled} or a later one), writes {@code labelled}.
 */
public final class LabelStage implements Stage<Void> {
  public static final String NAME = "label";
  private final Images images;

  /** @param images the stage that left the images to label, and their table */
  public LabelStage(Images images) {
    this.images = images;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(ObserveStage.NAME, images.stage());
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(Tables.LABELLED));
  }

  @Override
  public Object settings(StageContext ctx) {
    return Map.of("inference", ctx.config().inference(), "partitions", ctx.config().input().partitions(),
        "label", ctx.config().label());
  }

  @Override
  public String description(StageContext ctx) {
    return "Labelling the distilled images with the observer";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    DistillConfig c = ctx.config();
    List<String> teachers = ctx.summary(ObserveStage.NAME, ObserverSummary.class).teachers(c.label().allTeachers());
    Dataset<Row> distilled = ctx.table(images.table());
    Tables.require(images.table(), distilled.schema(), Tables.DISTILLED_SCHEMA);
    Dataset<Row> stable = StablePartitions.of(distilled, c.input().partitions());
    Dataset<Row> labelled = meanLogits(c, teachers, stable, "pixels", Tables.SOFT_LABEL);
    if (Tables.has(distilled, "patches")) {
      Dataset<Row> cells = stable.select(col("id"), posexplode(col("patches")).as(new String[] {"cell", "patch"}));
      Dataset<Row> perPatch = meanLogits(c, teachers, StablePartitions.of(cells, c.input().partitions(), "cell"),
              "patch", "logits")
          .groupBy("id")
          .agg(sort_array(collect_list(struct(col("cell"), col("logits")))).as("cells"))
          .select(col("id"), expr("transform(cells, s -> s.logits)").as("patch_soft_labels"));
      labelled = labelled.join(perPatch, "id");
    }
    ctx.saveTable(Tables.LABELLED, labelled.drop("patches"));
    return null;
  }

  /**
   * Adds column {@code out}: the teachers' logits on column {@code in}, averaged element by element
   * in a fixed order (one teacher: its logits as they are).
   */
  public static Dataset<Row> meanLogits(DistillConfig c, List<String> teachers, Dataset<Row> rows, String in,
      String out) {
    if (teachers.size() == 1) {
      return transformer(c, teachers.get(0), in, out).transform(rows);
    }
    StringBuilder sum = new StringBuilder("x");
    for (int t = 0; t < teachers.size(); t++) {
      rows = transformer(c, teachers.get(t), in, "teacher_" + t).transform(rows);
      if (t > 0) {
        sum.append(" + teacher_").append(t).append("[i]");
      }
    }
    Dataset<Row> mean = rows.withColumn(out,
        expr("transform(teacher_0, (x, i) -> cast((" + sum + ") / " + teachers.size() + " as float))"));
    for (int t = 0; t < teachers.size(); t++) {
      mean = mean.drop("teacher_" + t);
    }
    return mean;
  }

  private static ImageLogitsTransformer transformer(DistillConfig c, String model, String in, String out) {
    return new ImageLogitsTransformer()
        .setModelUri(model)
        .setBatchSize(c.inference().batchSize())
        .setDevice(c.inference().device())
        .setInputCol(in)
        .setOutputCol(out);
  }
}
