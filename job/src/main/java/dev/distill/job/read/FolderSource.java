package dev.distill.job.read;

import static org.apache.spark.sql.functions.col;

import dev.distill.job.config.DistillConfig;
import dev.distill.udf.image.ImageCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import dev.distill.udf.hadoop.HadoopConf;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * An image folder tree: {@code path/<class>/.../<image>}, classes in sorted folder-name order (as
 * PyTorch's ImageFolder assigns them). Every file is listed on the driver ({@link FolderListing}:
 * hidden names, empty files and unopenable paths become rejects there) and read and decoded on
 * executors; an undecodable file, or a file outside any class folder, is a reject. An empty class
 * folder is an error at start: the class would silently vanish.
 */
final class FolderSource implements ImageSource {

  @Override
  public Result read(SparkSession spark, String path, DistillConfig.Input input) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String root;
    List<String> classes = new ArrayList<>();
    try {
      Path rootPath = new Path(path);
      FileSystem fs = rootPath.getFileSystem(conf);
      if (!fs.getFileStatus(rootPath).isDirectory()) {
        throw new InputError(path + ": format 'folder' needs a directory with one sub-folder per class");
      }
      root = fs.makeQualified(rootPath).toString();
      FileStatus[] dirs = fs.listStatus(rootPath, p -> !p.getName().startsWith(".") && !p.getName().startsWith("_"));
      Arrays.sort(dirs, Comparator.comparing(s -> s.getPath().getName()));
      for (FileStatus d : dirs) {
        if (!d.isDirectory()) {
          continue;
        }
        if (!fs.listFiles(d.getPath(), true).hasNext()) {
          throw new InputError("class folder " + d.getPath() + " holds no files: add images or "
              + "remove the folder (an empty class cannot be distilled)");
        }
        classes.add(d.getPath().getName());
      }
    } catch (java.io.FileNotFoundException e) {
      throw new InputError(path + ": no such directory", e);
    } catch (IOException e) {
      throw new InputError(path + ": cannot list: " + e.getMessage(), e);
    }
    if (classes.isEmpty()) {
      throw new InputError(path + ": no class sub-folders found");
    }
    List<Row> entries = new ArrayList<>();
    try {
      Path rootPath = new Path(root);
      for (FolderListing.Entry e : FolderListing.list(rootPath.getFileSystem(conf), rootPath)) {
        entries.add(RowFactory.create(e.id(), e.location(), e.reject()));
      }
    } catch (IOException e) {
      throw new InputError(path + ": cannot list: " + e.getMessage(), e);
    }
    var files = spark.createDataFrame(entries, LISTING).repartition(input.partitions(), col("id"));
    var records = files.mapPartitions(new Read(classes, input.channels(), input.imageSize(), input.maxPixels(),
        new HadoopConf(conf)), Encoders.row(Records.SCHEMA));
    return new Result(records, new ClassMapping(classes));
  }

  private static final StructType LISTING = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("location", DataTypes.StringType, false)
      .add("reject", DataTypes.StringType, true);

  /** Reads and decodes each listed file on an executor; listed rejects pass through as rejects. */
  private record Read(List<String> classes, int channels, int size, long maxPixels, HadoopConf conf)
      implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> files) {
      return new Iterator<>() { // one file at a time: a partition's images are never all in memory
        @Override
        public boolean hasNext() {
          return files.hasNext();
        }

        @Override
        public Row next() {
          Row f = files.next();
          return f.isNullAt(2) ? read(f.getString(0), f.getString(1)) : Records.reject(f.getString(0), f.getString(2));
        }
      };
    }

    private Row read(String id, String location) {
      int slash = id.indexOf('/');
      if (slash < 0) {
        return Records.reject(id, "not inside a class folder");
      }
      int label = classes.indexOf(id.substring(0, slash));
      if (label < 0) {
        return Records.reject(id, "folder '" + id.substring(0, slash) + "' is not a class folder");
      }
      byte[] bytes;
      try (var in = HadoopFiles.open(location, conf.get())) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        return Records.reject(id, "cannot read: " + e.getMessage());
      }
      try {
        return Records.ok(id, label, ImageCodec.decode(bytes, channels, size, size, maxPixels).data());
      } catch (ImageCodec.UndecodableImageException e) {
        return Records.reject(id, e.getMessage());
      }
    }
  }
}
