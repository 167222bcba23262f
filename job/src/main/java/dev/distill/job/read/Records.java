package dev.distill.job.read;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one schema every reader emits: a decoded image or a reject, never a silent drop.
 * {@code id} is stable across runs (a relative path, file#index, or content hash); {@code pixels}
 * are planar 8-bit at the configured channels and size; {@code reject} says why a record could not
 * be used, and then {@code pixels} is null.
 */
public final class Records {
  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, true)
      .add("pixels", DataTypes.BinaryType, true)
      .add("reject", DataTypes.StringType, true);

  private Records() {}

  public static Row ok(String id, int label, byte[] pixels) {
    return RowFactory.create(id, label, pixels, null);
  }

  public static Row reject(String id, String reason) {
    return RowFactory.create(id, null, null, reason);
  }
}
