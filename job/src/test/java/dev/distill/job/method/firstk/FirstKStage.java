package dev.distill.job.method.firstk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.distill.job.common.ImageIds;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.read.ClassMapping;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.expressions.Window;

/** Writes the {@code distilled} table: the first {@code perClass} training images of each class by id. */
final class FirstKStage implements Stage<Void> {
  @Override
  public String name() {
    return "firstk";
  }

  @Override
  public List<String> reads() {
    return List.of(IngestStage.NAME);
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(Tables.DISTILLED));
  }

  @Override
  public Object settings(StageContext ctx) {
    return Map.of("per_class", ctx.plan().perClass());
  }

  @Override
  public String description(StageContext ctx) {
    return "Keeping the first " + ctx.plan().perClass() + " images per class";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    ClassMapping classes = ctx.summary(IngestStage.NAME, IngestSummary.class).classes();
    var byId = Window.partitionBy("label").orderBy(col("id"));
    ctx.saveTable(Tables.DISTILLED, ctx.table(Tables.TRAIN)
        .withColumn("n", row_number().over(byId).minus(1))
        .where(col("n").lt(ctx.plan().perClass()))
        .select(ImageIds.column(classes, "label", "n").as("id"),
            col("label"), col("pixels"), col("id").as("source")));
    return null;
  }
}
