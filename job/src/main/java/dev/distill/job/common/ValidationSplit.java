package dev.distill.job.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;

import dev.distill.job.config.ConfigError;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.random.StableRandom;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Carves a seeded, class-stratified validation slice out of the clean training records: each class
 * gives round(size × its share) images (at least one stays for training), chosen by a stable random
 * key. Everything downstream — observers, pools, baselines — reads the rest ({@code train}); choices
 * (an epoch, a temperature, a default) are made on {@code validation}, never on the test split.
 */
final class ValidationSplit {
  private ValidationSplit() {}

  /** Saves tables {@code train} and {@code validation}; returns the validation images per class. */
  static Map<Integer, Long> save(StageContext ctx, Dataset<Row> clean, int size) {
    Map<Integer, Long> perClass = new HashMap<>();
    long total = 0;
    for (Row r : clean.groupBy("label").count().collectAsList()) {
      perClass.put(r.getInt(0), r.getLong(1));
      total += r.getLong(1);
    }
    if (size >= total) {
      throw new ConfigError("distill.input.validation = " + size + ": the training split has only " + total
          + " clean images; the validation slice must leave most of them for training");
    }
    Map<Integer, Long> slice = new HashMap<>();
    long all = total;
    perClass.forEach((label, n) -> slice.put(label, Math.min(n - 1, Math.round((double) size * n / all))));
    long seed = ctx.config().seed();
    var key = udf((UDF1<String, Long>) id -> StableRandom.key(seed, "validation", id), DataTypes.LongType);
    Column quota = org.apache.spark.sql.functions.lit(0L);
    for (Map.Entry<Integer, Long> e : slice.entrySet()) {
      quota = org.apache.spark.sql.functions.when(col("label").equalTo(e.getKey()), e.getValue()).otherwise(quota);
    }
    Dataset<Row> ranked = clean
        .withColumn("n", row_number().over(Window.partitionBy("label").orderBy(key.apply(col("id")), col("id"))))
        .withColumn("held_out", col("n").leq(quota))
        .cache();
    ctx.saveTable(Tables.VALIDATION, ranked.where(col("held_out")).select("id", "label", "pixels"));
    ctx.saveTable(Tables.TRAIN, ranked.where(col("held_out").unary_$bang()).select("id", "label", "pixels"));
    ranked.unpersist();
    return slice;
  }
}
