package dev.distill.job.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;

import dev.distill.udf.random.StableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * A uniform random subset of at most {@code size} images per class, fixed by (seed, purpose): each
 * record's stable random key orders its class, and the first {@code size} are kept. Nested: the
 * subset of size k is a prefix of the one of size k + 1.
 */
public final class ClassBalancedSample {
  private ClassBalancedSample() {}

  public static Dataset<Row> of(Dataset<Row> records, long seed, String purpose, int size) {
    return ranked(records, seed, purpose, size).drop("rank");
  }

  /** As {@link #of}, with each record's place in its class's random order ({@code rank}, from 0). */
  public static Dataset<Row> ranked(Dataset<Row> records, long seed, String purpose, int size) {
    var key = udf((UDF1<String, Long>) id -> StableRandom.key(seed, purpose, id), DataTypes.LongType);
    var order = Window.partitionBy("label").orderBy(col("pool_key"), col("id"));
    return records.withColumn("pool_key", key.apply(col("id")))
        .withColumn("rank", row_number().over(order).minus(1))
        .where(col("rank").lt(size))
        .drop("pool_key");
  }
}
