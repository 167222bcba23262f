package dev.distill.job.stage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.distill.job.config.DistillConfig;
import dev.distill.job.read.InputError;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * RDED's per-class ranking: the {@code ipc × factor²} best-scored crops of each class, ranked by
 * cross-entropy ascending (ties broken by id, so the ranking is total and reproducible).
 */
public final class SelectStage {
  private SelectStage() {}

  /** Patches each class needs. */
  public static int patchesPerClass(DistillConfig c) {
    return c.ipc() * c.rded().patchesPerImage();
  }

  /**
   * Fails before any expensive work when a class cannot fill its quota and the config says to
   * fail; the message names the class and the two ways out.
   */
  public static void checkClassSizes(DistillConfig c, Ingested data) {
    int need = patchesPerClass(c);
    if (!c.rded().shortClass().equals("fail")) {
      return;
    }
    for (Map.Entry<Integer, Long> e : data.trainPerClass().entrySet()) {
      if (e.getValue() < need) {
        throw new InputError("class " + e.getKey() + " ('" + data.classes().name(e.getKey()) + "') has "
            + e.getValue() + " training images but distill.ipc = " + c.ipc() + " with factor "
            + c.rded().factor() + " needs " + need + "; lower distill.ipc or set "
            + "distill.rded.short-class = keep-all");
      }
    }
  }

  public static Dataset<Row> run(StageContext ctx, Dataset<Row> scored) {
    int need = patchesPerClass(ctx.config());
    var best = Window.partitionBy("label").orderBy(col("ce"), col("id"));
    return scored.withColumn("rank", row_number().over(best).minus(1)).where(col("rank").lt(need));
  }
}
