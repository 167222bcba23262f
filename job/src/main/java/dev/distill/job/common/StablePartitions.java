package dev.distill.job.common;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Puts rows into a fixed number of partitions by id and sorts each by id. After a shuffle the order
 * in which a partition's rows arrive is not defined; inference batches built from that order
 * would differ between runs and so would the low bits of the logits. Sorting makes every batch,
 * and so every output byte, reproducible.
 */
public final class StablePartitions {
  private StablePartitions() {}

  public static Dataset<Row> of(Dataset<Row> rows, int partitions, String... thenBy) {
    Column[] order = new Column[thenBy.length + 1];
    order[0] = col("id");
    for (int i = 0; i < thenBy.length; i++) {
      order[i + 1] = col(thenBy[i]);
    }
    return rows.repartition(partitions, col("id")).sortWithinPartitions(order);
  }
}
