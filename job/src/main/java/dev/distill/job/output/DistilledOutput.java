package dev.distill.job.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring_index;

import dev.distill.job.read.ClassMapping;
import dev.distill.job.read.InputError;
import dev.distill.job.stage.Tables;
import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.infer.StoredCompensator;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A committed output, read back: its manifest, where its observer is, and its images decoded with
 * their stored soft labels — what evaluation, the report and export start from. Images are decoded
 * by their files (whatever codec wrote each one), joined to {@code labels.parquet} by path.
 */
public final class DistilledOutput {
  /** id, label, pixels (planar 8-bit), soft_label: a training set as students read it. */
  public static final StructType LABELLED = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("pixels", DataTypes.BinaryType, false)
      .add("soft_label", new ArrayType(DataTypes.FloatType, false), false);

  private final FileSystem fs;
  private final Path path;
  private final Manifest manifest;
  /** INFER's compensators by id, read once when first needed (empty for other methods). */
  private Map<String, byte[]> compensators;

  private DistilledOutput(FileSystem fs, Path path, Manifest manifest) {
    this.fs = fs;
    this.path = path;
    this.manifest = manifest;
  }

  public static DistilledOutput open(String location, Configuration conf) {
    try {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(conf);
      p = fs.makeQualified(p);
      return new DistilledOutput(fs, p, Manifest.read(fs, p));
    } catch (IOException | IllegalArgumentException e) {
      throw new InputError(e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  public FileSystem fs() {
    return fs;
  }

  public Manifest manifest() {
    return manifest;
  }

  /**
   * The observers whose logits are this output's soft labels, by location: the scoring observer, or
   * every teacher of an ensemble (beside it: {@code <its parent>/<architecture>}).
   */
  public List<String> teachers() {
    List<String> by = manifest.observer().labelledBy();
    return teachers(observers(observer(), by), by);
  }

  /**
   * What distill.observer.path names to reuse the observers of an output scored by {@code observer}
   * and labelled by {@code labelledBy}: that observer, or the ensemble's directory above it.
   */
  public static String observers(String observer, List<String> labelledBy) {
    return labelledBy.size() <= 1 ? observer : new Path(observer).getParent().toString();
  }

  /**
   * The teachers of an output labelled by {@code labelledBy} when its observers are at {@code
   * observers}, as distill.observer.path names them: one observer, or an ensemble's directory.
   */
  public static List<String> teachers(String observers, List<String> labelledBy) {
    return labelledBy.size() <= 1 ? List.of(observers)
        : labelledBy.stream().map(a -> new Path(observers, a).toString()).toList();
  }

  /**
   * What {@code distill.observer.path} names to reuse this output's observers: the directory of the
   * ensemble when the run had several {@code architectures}, else the scoring observer.
   */
  public String observersToReuse(List<String> architectures) {
    return architectures.size() > 1 ? ensemble().toString() : observer();
  }

  /** An ensemble's directory: its observers sit side by side, {@code <architecture>/}. */
  private Path ensemble() {
    return new Path(observer()).getParent();
  }

  /** The classes as written in {@code classes.json}, in label order. */
  public ClassMapping classes() {
    Path file = new Path(path, OutputFiles.CLASSES);
    try (var in = fs.open(file)) {
      List<String> names = new java.util.ArrayList<>();
      OutputWriter.JSON.readTree(in).forEach(c -> names.add(c.get("name").asText()));
      return new ClassMapping(names);
    } catch (IOException | RuntimeException e) {
      throw new InputError(file + ": cannot read the class list: " + e.getMessage(), e);
    }
  }

  /** Where the scoring observer is: inside the output when the run trained it. */
  public String observer() {
    return manifest.observer().resolve(path);
  }

  /**
   * The first {@code k} stored images of each class (all of them when {@code k} is the output's
   * IPC), decoded to {@code channels × size × size}, with their soft labels ({@link #LABELLED}).
   * Fails, naming the files, when an image listed in {@code labels.parquet} is missing or unreadable.
   */
  public Dataset<Row> images(SparkSession spark, int k, int channels, int size) {
    boolean all = k == manifest.ipc();
    Dataset<Row> labels = labels(spark, k);
    Map<String, byte[]> compensators = compensators(spark);
    Dataset<Row> decoded = withFiles(spark, labels).map((MapFunction<Row, Row>) r -> {
      PixelImage image = ImageCodec.decode(r.getAs("content"), channels, size, size);
      String compensator = r.getAs(OutputWriter.COMPENSATOR);
      if (compensator != null) {
        image = StoredCompensator.fromBytes(compensators.get(compensator), channels, size, size).apply(image);
      }
      return RowFactory.create(r.getAs("id"), r.getAs("label"), image.data(),
          floats(r.getList(r.fieldIndex("soft_label"))));
    }, Encoders.row(LABELLED));
    long expected = all ? manifest.images() : labels.count();
    long found = decoded.count();
    if (found != expected) {
      throw new InputError(path + ": " + (all ? "the manifest" : OutputFiles.LABELS) + " lists " + expected
          + " images" + (all ? "" : " among the first " + k + " per class") + " but " + found
          + " were found and readable under " + OutputFiles.IMAGES + "/ for the rows of " + OutputFiles.LABELS);
    }
    return decoded;
  }

  /**
   * On-disk bytes of what the first {@code k} images of each class need: their image files, each
   * counted once (INFER's composites share their natural image's), and the compensators they use.
   */
  public long imageBytes(SparkSession spark, int k) {
    Dataset<Row> labels = labels(spark, k);
    Row sum = withFiles(spark, labels.where(col(OutputWriter.COMPENSATOR).isNull())).agg(
        org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.length(col("content")))).first();
    long files = sum.isNullAt(0) ? 0 : sum.getLong(0);
    Map<String, byte[]> compensators = compensators(spark);
    long extra = 0;
    for (Row r : labels.select(OutputWriter.COMPENSATOR).where(col(OutputWriter.COMPENSATOR).isNotNull()).distinct()
        .collectAsList()) {
      extra += compensators.get(r.getString(0)).length;
    }
    return files + extra;
  }

  /** INFER's stored compensators by id (none for other methods): a few kilobytes each. */
  private synchronized Map<String, byte[]> compensators(SparkSession spark) {
    if (compensators == null) {
      Map<String, byte[]> read = new HashMap<>();
      Path file = new Path(path, OutputFiles.COMPENSATORS);
      try {
        if (fs.exists(file)) {
          spark.read().parquet(file.toString()).collectAsList().forEach(r -> read.put(r.getAs("id"), r.getAs("data")));
        }
      } catch (IOException e) {
        throw new InputError(file + ": " + e.getMessage(), e);
      }
      compensators = read;
    }
    return compensators;
  }

  /** Stored label bytes an image: the labels file's size over the images it labels. */
  public double labelBytesPerImage() {
    return manifest.images() == 0 ? 0 : (double) manifest.bytes().labels() / manifest.images();
  }

  private Dataset<Row> labels(SparkSession spark, int k) {
    String prefix = OutputFiles.IMAGES + "/";
    Dataset<Row> labels = spark.read().parquet(new Path(path, OutputFiles.LABELS).toString());
    return labels.where(expr("cast(substring_index(id, '/', -1) as int) < " + k))
        .select(col("id"), col("label"), col("soft_label"),
            expr("substring(path, " + (prefix.length() + 1) + ")").as("file"),
            Tables.has(labels, OutputWriter.COMPENSATOR) ? col(OutputWriter.COMPENSATOR)
                : lit(null).cast("string").as(OutputWriter.COMPENSATOR));
  }

  /**
   * Joined on the path below images/: binaryFile reports fully qualified URIs whose spelling
   * (file:/ vs file:///) need not match the output path's.
   */
  private Dataset<Row> withFiles(SparkSession spark, Dataset<Row> labels) {
    String prefix = OutputFiles.IMAGES + "/";
    Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
        .load(new Path(path, OutputFiles.IMAGES).toString())
        .select(substring_index(col("path"), "/" + prefix, -1).as("file"), col("content"));
    return labels.join(files, "file");
  }

  private static float[] floats(List<Object> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }
}
