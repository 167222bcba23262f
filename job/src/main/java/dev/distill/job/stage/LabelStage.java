package dev.distill.job.stage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import dev.distill.job.config.DistillConfig;
import dev.distill.udf.ml.ImageLogitsTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Soft labels from the observer: the logits of every distilled image ({@code soft_label}; the
 * label at temperature T is softmax(logits / T)). With {@code label-granularity = patch} also one
 * vector per patch ({@code patch_soft_labels}, grid-cell order), each patch zero-padded to full
 * size as when it was scored: the region-level labels the RDED paper describes.
 */
public final class LabelStage {
  private LabelStage() {}

  public static Dataset<Row> run(StageContext ctx, Dataset<Row> composed, ObserverStage.Result observer) {
    DistillConfig c = ctx.config();
    Dataset<Row> stable = StablePartitions.of(composed, c.input().partitions());
    Dataset<Row> labelled = transformer(c, observer, "pixels", "soft_label").transform(stable);
    if (c.rded().labelGranularity().equals("patch")) {
      Dataset<Row> cells = stable.select(col("id"), posexplode(col("patches")).as(new String[] {"cell", "patch"}));
      Dataset<Row> perPatch = transformer(c, observer, "patch", "logits")
          .transform(StablePartitions.of(cells, c.input().partitions(), "cell"))
          .groupBy("id")
          .agg(sort_array(collect_list(struct(col("cell"), col("logits")))).as("cells"))
          .select(col("id"), expr("transform(cells, s -> s.logits)").as("patch_soft_labels"));
      labelled = labelled.join(perPatch, "id");
    }
    return labelled.drop("patches");
  }

  private static ImageLogitsTransformer transformer(DistillConfig c, ObserverStage.Result observer,
      String in, String out) {
    return new ImageLogitsTransformer()
        .setModelUri(observer.location())
        .setBatchSize(c.inference().batchSize())
        .setDevice(c.inference().device())
        .setInputCol(in)
        .setOutputCol(out);
  }
}
