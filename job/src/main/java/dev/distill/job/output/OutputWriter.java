package dev.distill.job.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.distill.job.read.ClassMapping;
import dev.distill.job.stage.Tables;
import dev.distill.udf.hadoop.HadoopConf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Iterator;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes the distilled dataset into the staging directory:
 * <pre>
 * images/&lt;index&gt;_&lt;class&gt;/&lt;n&gt;.png   lossless, readable by ImageFolder and format("image")
 * labels.parquet                  id, label, class, path, soft_label (INFER: natural, compensator)
 * compensators.parquet            INFER's compensators (composites are rebuilt, not stored)
 * classes.json                    index, name, folder
 * rejects.jsonl                   split, id, reason of every record that could not be used
 * config.conf                     the settings that determine the output (what config_sha256 hashes)
 * </pre>
 * Single-file tables are written by one task in id order and renamed out of Spark's part-file
 * naming, so two runs produce the same file names and bytes.
 */
public final class OutputWriter {
  private static final String IMAGES = OutputFiles.IMAGES;
  private static final String LABELS = OutputFiles.LABELS;
  private static final String CLASSES = OutputFiles.CLASSES;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final FileSystem fs;
  private final Path staging;

  public OutputWriter(FileSystem fs, Path staging) {
    this.fs = fs;
    this.staging = staging;
  }

  /**
   * One file per row under {@code images/}, encoded by the row's {@code encoding} column when it
   * has one (see {@link ImageEncoding}), else as 8-bit PNG.
   */
  public void images(Dataset<Row> labelled, int channels, HadoopConf conf) {
    String root = new Path(staging, IMAGES).toString();
    storedImages(labelled).select(col("id"), col("pixels"), encoding(labelled))
        .foreachPartition(new WriteImages(root, channels, conf));
  }

  /** INFER's columns: a composite's natural image (its id) and compensator; null on stored images. */
  public static final String NATURAL = "natural";
  public static final String COMPENSATOR = "compensator";

  /** The rows whose pixels are stored as files: all but composites, which readers rebuild. */
  private static Dataset<Row> storedImages(Dataset<Row> rows) {
    return Tables.has(rows, COMPENSATOR) ? rows.where(col(COMPENSATOR).isNull()) : rows;
  }

  /** {@link OutputFiles#COMPENSATORS}: id, slot, teacher, data, by id. */
  public void compensators(Dataset<Row> compensators) {
    parquet(compensators.select("id", "slot", "teacher", "data"), "compensators", OutputFiles.COMPENSATORS,
        // Min/max statistics of a binary column would copy two whole compensators into the footer
        // and the dictionary a third; both are useless for random values that are read whole.
        Map.of("parquet.statistics.truncate.length", "16", "parquet.enable.dictionary", "false"));
  }

  private static org.apache.spark.sql.Column encoding(Dataset<Row> rows) {
    return Tables.has(rows, ImageEncoding.COLUMN) ? col(ImageEncoding.COLUMN)
        : lit(ImageEncoding.PNG8.name());
  }

  /** The columns of {@link OutputFiles#LABELS}, in this order, where present. */
  static final List<String> LABEL_COLUMNS = List.of("id", "label", "class", "path", "soft_label", "patch_soft_labels",
      NATURAL, COMPENSATOR);

  /**
   * Writes {@link OutputFiles#LABELS} (what training reads) and, when the methods left provenance
   * columns, {@link OutputFiles#PROVENANCE} (id and those columns), both sorted by id.
   */
  public void labels(Dataset<Row> labelled, ClassMapping classes) {
    String[] names = classes.names().toArray(new String[0]);
    var nameOf = org.apache.spark.sql.functions.element_at(
        org.apache.spark.sql.functions.array(Arrays.stream(names).map(n -> lit(n)).toArray(org.apache.spark.sql.Column[]::new)),
        col("label").plus(1));
    Dataset<Row> table = labelled.drop("pixels")
        .withColumn("class", nameOf)
        .withColumn("path", concat(lit(IMAGES + "/"), stem(labelled), lit("."), extension(labelled)));
    List<String> present = Arrays.asList(table.columns());
    String[] training = LABEL_COLUMNS.stream().filter(present::contains).toArray(String[]::new);
    parquet(table.selectExpr(training), "labels", LABELS);
    List<String> rest = present.stream().filter(c -> !LABEL_COLUMNS.contains(c)).toList();
    if (!rest.isEmpty()) {
      parquet(table.selectExpr(java.util.stream.Stream.concat(java.util.stream.Stream.of("id"), rest.stream())
          .toArray(String[]::new)), "provenance", OutputFiles.PROVENANCE);
    }
  }

  /** One Parquet file, rows by id, with a footer that is the same in every JVM. */
  private void parquet(Dataset<Row> table, String scratch, String name) {
    parquet(table, scratch, name, Map.of());
  }

  private void parquet(Dataset<Row> table, String scratch, String name, Map<String, String> options) {
    singleFile(table.orderBy("id").coalesce(1).write().mode("overwrite").format("parquet").options(options), scratch,
        name);
    try {
      ParquetFooter.canonicalise(fs, new Path(staging, name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot canonicalise " + name, e);
    }
  }

  /** The image file's name without extension: a composite's is its natural image's. */
  private static org.apache.spark.sql.Column stem(Dataset<Row> rows) {
    return Tables.has(rows, NATURAL) ? org.apache.spark.sql.functions.coalesce(col(NATURAL), col("id"))
        : col("id");
  }

  private static org.apache.spark.sql.Column extension(Dataset<Row> rows) {
    if (!Tables.has(rows, ImageEncoding.COLUMN)) {
      return lit(ImageEncoding.PNG8.extension());
    }
    org.apache.spark.sql.Column ext = null;
    for (ImageEncoding e : ImageEncoding.values()) {
      ext = (ext == null ? org.apache.spark.sql.functions.when(col(ImageEncoding.COLUMN).equalTo(e.name()), e.extension())
          : ext.when(col(ImageEncoding.COLUMN).equalTo(e.name()), e.extension()));
    }
    return ext;
  }

  public void rejects(Dataset<Row> rejects) {
    singleFile(rejects.orderBy("split", "id").coalesce(1).write().mode("overwrite").format("json"),
        "rejects", OutputFiles.REJECTS);
  }

  public void classes(ClassMapping classes) {
    ArrayNode out = JSON.createArrayNode();
    for (int i = 0; i < classes.size(); i++) {
      out.addObject().put("index", i).put("name", classes.name(i)).put("folder", classes.folder(i));
    }
    write(CLASSES, out);
  }

  public void write(String name, Object json) {
    try {
      text(name, JSON.writeValueAsString(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + name, e);
    }
  }

  public void text(String name, String content) {
    try (OutputStream out = fs.create(new Path(staging, name), true)) {
      out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name, e);
    }
  }

  /**
   * Deletes the {@code .crc} side files Hadoop's local file system writes next to every file: they
   * are not part of the dataset, and the manifest's would differ between otherwise identical runs.
   */
  public void removeChecksumFiles() {
    if (!(fs instanceof LocalFileSystem local)) {
      return;
    }
    try {
      FileSystem raw = local.getRaw();
      RemoteIterator<LocatedFileStatus> files = raw.listFiles(staging, true);
      java.util.List<Path> crcs = new java.util.ArrayList<>();
      while (files.hasNext()) {
        Path p = files.next().getPath();
        if (p.getName().startsWith(".") && p.getName().endsWith(".crc")) {
          crcs.add(p);
        }
      }
      for (Path p : crcs) {
        raw.delete(p, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove checksum files", e);
    }
  }

  /** Removes scratch files and the stages' tables and ledger: none of them is part of the output. */
  public void removeWorkFiles() {
    try {
      fs.delete(new Path(staging, OutputFiles.WORK), true);
      fs.delete(new Path(staging, dev.distill.job.stage.Tables.STAGES_DIR), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove work files", e);
    }
  }

  private void singleFile(org.apache.spark.sql.DataFrameWriter<Row> writer, String dir, String name) {
    Path tmp = new Path(new Path(staging, OutputFiles.WORK), dir);
    writer.save(tmp.toString());
    try {
      FileStatus[] parts = fs.listStatus(tmp, p -> p.getName().startsWith("part-"));
      Path target = new Path(staging, name);
      if (parts.length == 0) {
        fs.create(target, true).close(); // an empty table writes no part file
      } else if (parts.length == 1) {
        fs.rename(parts[0].getPath(), target);
      } else {
        throw new IllegalStateException("expected one part file in " + tmp + ", found " + parts.length);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + tmp + " to " + name, e);
    }
  }

  private record WriteImages(String root, int channels, HadoopConf conf) implements ForeachPartitionFunction<Row> {
    @Override
    public void call(Iterator<Row> rows) throws IOException {
      Path base = new Path(root);
      FileSystem fs = base.getFileSystem(conf.get());
      while (rows.hasNext()) {
        Row r = rows.next();
        ImageEncoding encoding = ImageEncoding.valueOf(r.getString(2));
        byte[] bytes = encoding.encode(r.getAs(1), channels);
        // overwrite = true: a retried task rewrites the same bytes under the same name.
        try (OutputStream out = fs.create(new Path(base, r.getString(0) + "." + encoding.extension()), true)) {
          out.write(bytes);
        }
      }
    }
  }
}
