package dev.distill.job.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;

import dev.distill.job.read.InputError;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Test images that also appear, pixel for pixel, in the training split make every test number a
 * lie. Checks the first {@code sample} test images (by id) against all training images (and the
 * validation slice) by SHA-256 of their pixels; any match stops the run, naming the pairs.
 */
final class TrainTestOverlap {
  private TrainTestOverlap() {}

  static void check(StageContext ctx, int sample, boolean withValidation) {
    Dataset<Row> train = ctx.table(Tables.TRAIN);
    if (withValidation) {
      train = train.union(ctx.table(Tables.VALIDATION));
    }
    Dataset<Row> test = ctx.table(Tables.TEST).orderBy("id").limit(sample)
        .select(col("id").as("test_id"), sha2(col("pixels"), 256).as("hash"));
    List<Row> shared = test.join(train.select(col("id").as("train_id"), sha2(col("pixels"), 256).as("hash")), "hash")
        .select("test_id", "train_id").orderBy("test_id", "train_id").limit(6).collectAsList();
    if (!shared.isEmpty()) {
      throw new InputError("the test split (distill.input.test-path = " + ctx.config().input().testPath()
          + ") shares images with the training split, pixel for pixel, e.g. "
          + shared.stream().limit(5).map(r -> "test " + r.getString(0) + " = train " + r.getString(1)).toList()
          + "; use a held-out test set (checked: the first " + sample + " test images, distill.input.overlap-check)");
    }
  }
}
