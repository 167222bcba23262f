package dev.distill.job.stage;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The named tables stages hand each other, stored as Parquet under {@code _stages/} of the staging
 * directory, with the schema each must have. Methods may add columns (provenance) to
 * {@link #DISTILLED}; the label and write stages keep them.
 */
public final class Tables {
  private Tables() {}

  /** Directory of the ledger and the tables, inside the staging directory. */
  public static final String STAGES_DIR = "_stages";

  /** Clean training records: id, label, pixels (planar 8-bit, channels × size × size). */
  public static final String TRAIN = "train";
  /**
   * The seeded, class-stratified validation slice carved from the training split
   * ({@code distill.input.validation}), same schema as {@link #TRAIN}; absent when 0.
   */
  public static final String VALIDATION = "validation";
  /** Clean held-out records, same schema as {@link #TRAIN}; absent without a test split. */
  public static final String TEST = "test";
  /** split, id, reason of every record that could not be used. */
  public static final String REJECTS = "rejects";
  /**
   * What the methods made, one row per stored image: {@link #DISTILLED_SCHEMA} plus the methods'
   * provenance columns, and {@code patches} (array of planar patches) when patches get labels too.
   */
  public static final String DISTILLED = "distilled";
  /** {@link #DISTILLED} with the observer's logits: {@code soft_label} (and {@code patch_soft_labels}). */
  public static final String LABELLED = "labelled";

  public static final StructType RECORDS = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("pixels", DataTypes.BinaryType, false);

  public static final StructType DISTILLED_SCHEMA = RECORDS;

  public static final StructType REJECTS_SCHEMA = new StructType()
      .add("split", DataTypes.StringType, false)
      .add("id", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false);

  /**
   * INFER's compensators: {@code id} (what a composite's {@code compensator} column names), {@code
   * slot}, {@code teacher}, {@code data} (the stored form, {@code StoredCompensator}).
   */
  public static final String COMPENSATORS = "compensators";

  /** The soft-label column the label stage adds. */
  public static final String SOFT_LABEL = "soft_label";
  public static final ArrayType LOGITS = new ArrayType(DataTypes.FloatType, false);

  /** Where table {@code name} lives, relative to the staging directory. */
  public static String dir(String name) {
    return STAGES_DIR + "/" + name + ".parquet";
  }

  /** Whether {@code rows} has column {@code column} (methods add optional ones: patches, encoding, INFER's). */
  public static boolean has(Dataset<Row> rows, String column) {
    return java.util.Arrays.asList(rows.columns()).contains(column);
  }

  /** Fails, naming the table and the column, when a stage's input lacks what it needs. */
  public static void require(String table, StructType actual, StructType required) {
    for (var field : required.fields()) {
      if (!java.util.Arrays.asList(actual.fieldNames()).contains(field.name())) {
        throw new IllegalStateException("table " + table + " lacks column " + field.name() + " (" + field.dataType()
            .simpleString() + "); it has " + String.join(", ", actual.fieldNames()));
      }
    }
  }
}
