package dev.distill.job.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distill.job.SharedSpark;
import dev.distill.job.TinyData;
import dev.distill.job.output.ImageEncoding;
import dev.distill.job.stage.Tables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The equal-bytes random baseline fills the budget to within one image per class. */
class RealSubsetTest extends SharedSpark {
  @Test
  void fillsTheBudgetRoundRobinToWithinOneImagePerClass() {
    Random noise = new Random(3);
    List<Row> rows = new ArrayList<>();
    Map<String, Integer> png = new HashMap<>();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 40; i++) {
        byte[] pixels = TinyData.pattern(c, 16, noise).data();
        String id = "c" + c + "/" + i;
        rows.add(RowFactory.create(id, c, pixels));
        png.put(id, ImageEncoding.PNG8.encode(pixels, 1).length);
      }
    }
    Dataset<Row> train = spark.createDataFrame(rows, Tables.RECORDS);
    double labelBytes = 12.5;
    long budget = 12_000;
    RealSubset.Choice choice = RealSubset.equalBytes(train, 0, budget, 3, 1, 1, labelBytes);
    List<Row> chosen = choice.records().collectAsList();
    assertThat(chosen).hasSize(choice.images());
    long imageBytes = chosen.stream().mapToLong(r -> png.get(r.getString(0))).sum();
    assertThat(choice.imageBytes()).isEqualTo(imageBytes);
    assertThat(imageBytes + chosen.size() * labelBytes).isLessThanOrEqualTo(budget);
    int largest = png.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertThat(budget - (imageBytes + chosen.size() * labelBytes)).isLessThan(3 * (largest + labelBytes));
    Map<Integer, Integer> perClass = new HashMap<>();
    chosen.forEach(r -> perClass.merge(r.getInt(1), 1, Integer::sum));
    assertThat(perClass).hasSize(3);
    assertThat(perClass.values().stream().mapToInt(Integer::intValue).max().orElseThrow()
        - perClass.values().stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThanOrEqualTo(1);
    // Far more than the 1 per class it was told to expect: it looked past its first cap (10 a class).
    assertThat(chosen.size()).isGreaterThan(30);

    // Equal count: the first k of the same random order, so it nests with the equal-bytes subset.
    RealSubset.Choice two = RealSubset.perClass(train, 0, 2, 1, labelBytes);
    List<String> twoIds = two.records().collectAsList().stream().map(r -> r.getString(0)).toList();
    assertThat(twoIds).hasSize(6);
    assertThat(chosen.stream().map(r -> r.getString(0)).toList()).containsAll(twoIds);
  }
}
