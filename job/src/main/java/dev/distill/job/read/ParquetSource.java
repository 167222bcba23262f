package dev.distill.job.read;

import static org.apache.spark.sql.functions.col;

import dev.distill.job.config.DistillConfig;
import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.ml.SparkImages;
import dev.distill.udf.random.StableRandom;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Parquet with an image column (a Spark image struct, or encoded PNG/JPEG/BMP bytes) and a label
 * column (integer index, or string class name). The record id is the configured id column, else
 * the image struct's origin, else a hash of the image bytes, so ids never depend on partitioning.
 */
final class ParquetSource implements ImageSource {

  @Override
  public Result read(SparkSession spark, String path, DistillConfig.Input input) {
    Dataset<Row> table;
    try {
      table = spark.read().parquet(path);
    } catch (Exception e) {
      throw new InputError(path + ": cannot read as Parquet: " + InputError.rootReason(e), e);
    }
    List<String> columns = List.of(table.columns());
    String image = input.parquetImageColumn();
    String label = input.parquetLabelColumn();
    String id = input.parquetIdColumn();
    for (String c : new String[] {image, label, id}) {
      if (c != null && !columns.contains(c)) {
        throw new InputError(path + ": no column '" + c + "'; columns are " + columns
            + " (set distill.input.parquet.*-column)");
      }
    }
    DataType imageType = table.schema().apply(image).dataType();
    boolean struct = SparkImages.isImageStruct(imageType);
    if (!struct && !imageType.equals(DataTypes.BinaryType)) {
      throw new InputError(path + ": column '" + image + "' must be a Spark image struct or binary; found "
          + imageType.simpleString());
    }
    DataType labelType = table.schema().apply(label).dataType();
    boolean named = labelType.equals(DataTypes.StringType);
    if (!named && !List.of(DataTypes.IntegerType, DataTypes.LongType, DataTypes.ShortType, DataTypes.ByteType)
        .contains(labelType)) {
      throw new InputError(path + ": column '" + label + "' must hold integer indices or string names; found "
          + labelType.simpleString());
    }
    ClassMapping classes = null;
    if (named) {
      List<String> names = input.classNames().isEmpty()
          ? table.select(col(label)).where(col(label).isNotNull()).distinct().sort(label)
              .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()
          : input.classNames();
      classes = new ClassMapping(names);
    }
    var selected = table.select(col(image), col(label).cast(named ? DataTypes.StringType : DataTypes.IntegerType),
        id == null ? org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType) : col(id).cast(DataTypes.StringType));
    var decode = new Decode(struct, classes == null ? null : new ArrayList<>(classes.names()),
        input.channels(), input.imageSize(), input.maxPixels());
    return new Result(selected.map(decode, Encoders.row(Records.SCHEMA)), classes);
  }

  private record Decode(boolean struct, List<String> names, int channels, int size, long maxPixels)
      implements MapFunction<Row, Row> {
    @Override
    public Row call(Row row) {
      String id = row.getString(2);
      byte[] bytes = null;
      if (id == null && struct && !row.isNullAt(0)) {
        String origin = row.getStruct(0).getString(0);
        id = origin == null || origin.isEmpty() ? null : origin;
      }
      if (!row.isNullAt(0)) {
        bytes = struct ? row.getStruct(0).getAs(5) : row.getAs(0);
      }
      if (id == null) {
        id = bytes == null ? "null-image" : "sha256:" + Long.toHexString(
            StableRandom.key(0, "content", java.util.Base64.getEncoder().encodeToString(bytes)));
      }
      if (bytes == null) {
        return Records.reject(id, "image is null");
      }
      if (row.isNullAt(1)) {
        return Records.reject(id, "label is null");
      }
      int label;
      if (names != null) {
        label = names.indexOf(row.getString(1));
        if (label < 0) {
          return Records.reject(id, "label '" + row.getString(1) + "' is not a configured class name");
        }
      } else {
        label = row.getInt(1);
      }
      try {
        byte[] pixels = struct
            ? ImageCodec.conform(SparkImages.fromStruct(row.getStruct(0), channels), channels, size, size).data()
            : ImageCodec.decode(bytes, channels, size, size, maxPixels).data();
        return Records.ok(id, label, pixels);
      } catch (ImageCodec.UndecodableImageException | IllegalArgumentException e) {
        return Records.reject(id, e.getMessage());
      }
    }
  }
}
