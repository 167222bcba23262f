package dev.distill.job.common;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;

import dev.distill.job.read.ClassMapping;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;

/**
 * The id of a distilled image, which is also its path under {@code images/} without extension:
 * the class folder and the image's index within the class ({@code sandal/00003}).
 */
public final class ImageIds {
  private ImageIds() {}

  public static String of(ClassMapping classes, int label, int index) {
    return classes.folder(label) + "/" + String.format("%05d", index);
  }

  /** {@link #of} as a column, from an int label column and an index column. */
  public static Column column(ClassMapping classes, String label, String index) {
    Column folder = element_at(array(IntStream.range(0, classes.size()).mapToObj(i -> lit(classes.folder(i)))
        .toArray(Column[]::new)), col(label).plus(1));
    return concat(folder, lit("/"), format_string("%05d", col(index)));
  }
}
