package dev.distill.job.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.distill.job.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The realism score: −log softmax(z)[y], and lower means more realistic (ranked first). */
class CrossEntropyTest extends SharedSpark {
  @Test
  void matchesTheDefinitionAndStaysFiniteForLargeLogits() {
    StructType schema = new StructType()
        .add("logits", new ArrayType(DataTypes.FloatType, false))
        .add("label", DataTypes.IntegerType);
    List<Row> rows = List.of(
        RowFactory.create(new float[] {2f, 1f, 0f}, 0),
        RowFactory.create(new float[] {2f, 1f, 0f}, 2),
        RowFactory.create(new float[] {1000f, 0f, -1000f}, 1));
    List<Row> out = spark.createDataFrame(rows, schema)
        .select(CrossEntropy.of("logits", "label")).collectAsList();
    double z = Math.log(Math.exp(2) + Math.exp(1) + 1);
    assertThat(out.get(0).getDouble(0)).isCloseTo(z - 2, within(1e-9));
    assertThat(out.get(1).getDouble(0)).isCloseTo(z, within(1e-9));
    assertThat(out.get(2).getDouble(0)).isCloseTo(1000, within(1e-6));
    assertThat(out.get(0).getDouble(0)).isLessThan(out.get(1).getDouble(0));
  }
}
