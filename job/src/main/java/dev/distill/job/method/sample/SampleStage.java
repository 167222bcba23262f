package dev.distill.job.method.sample;

import static org.apache.spark.sql.functions.col;

import dev.distill.job.common.ClassBalancedSample;
import dev.distill.job.common.ImageIds;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code distilled} table: {@code perClass} real training images per class, drawn by
 * {@link ClassBalancedSample} (nested across budgets), each with its {@code source} id.
 */
final class SampleStage implements Stage<Void> {
  static final String NAME = "sample";

  @Override
  public String name() {
    return NAME;
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
    return Map.of("seed", ctx.config().seed(), "per_class", ctx.plan().perClass());
  }

  @Override
  public String description(StageContext ctx) {
    return "Drawing " + ctx.plan().perClass() + " real images per class at random";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    IngestSummary data = ctx.summary(IngestStage.NAME, IngestSummary.class);
    ctx.saveTable(Tables.DISTILLED, ClassBalancedSample.ranked(ctx.table(Tables.TRAIN), ctx.config().seed(),
            NAME, ctx.plan().perClass())
        .select(ImageIds.column(data.classes(), "label", "rank").as("id"), col("label"), col("pixels"),
            col("id").as("source")));
    return null;
  }
}
