package dev.distill.job.method.rded;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.expressions.Window;

/**
 * RDED's per-class ranking: the {@code items × factor²} best-scored crops of each class, ranked by
 * cross-entropy ascending (ties broken by id, so the ranking is total and reproducible), with
 * their {@code rank}.
 */
public final class SelectStage implements Stage<Void> {
  static final String NAME = "select";
  static final String SELECTED = "rded_selected";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(ScoreStage.NAME);
  }

  @Override
  public List<String> writes() {
    return List.of(Tables.dir(SELECTED));
  }

  @Override
  public Object settings(StageContext ctx) {
    return Map.of("patches_per_class", patchesPerClass(ctx));
  }

  @Override
  public String description(StageContext ctx) {
    return "Selecting the best " + patchesPerClass(ctx) + " patches per class";
  }

  @Override
  public Class<Void> summaryType() {
    return Void.class;
  }

  @Override
  public Void run(StageContext ctx) {
    var best = Window.partitionBy("label").orderBy(col("ce"), col("id"));
    ctx.saveTable(SELECTED, ctx.table(ScoreStage.SCORED)
        .withColumn("rank", row_number().over(best).minus(1)).where(col("rank").lt(patchesPerClass(ctx))));
    return null;
  }

  /** Patches each class needs: the planned images per class times factor². */
  static int patchesPerClass(StageContext ctx) {
    return ctx.plan().perClass() * Rded.settings(ctx.config()).patchesPerImage();
  }
}
