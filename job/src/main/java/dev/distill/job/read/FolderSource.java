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
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.Encoders;

/**
 * An image folder tree: {@code path/<class>/.../<image>}, classes in sorted folder-name order (as
 * PyTorch's ImageFolder assigns them). Files are read in parallel by Spark's {@code binaryFile}
 * source and decoded on executors; an undecodable file, or a file outside any class folder, is a
 * reject. An empty class folder is an error at start: the class would silently vanish.
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
    var files = spark.read().format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(path)
        .select(col("path"), col("content"));
    var decode = new Decode(root.endsWith("/") ? root : root + "/", classes, input.channels(), input.imageSize());
    var records = files.map(decode, Encoders.row(Records.SCHEMA));
    return new Result(records, new ClassMapping(classes));
  }

  private record Decode(String root, List<String> classes, int channels, int size)
      implements MapFunction<Row, Row> {
    @Override
    public Row call(Row file) {
      String full = file.getString(0);
      String id = full.startsWith(root) ? full.substring(root.length()) : full;
      int slash = id.indexOf('/');
      if (slash < 0) {
        return Records.reject(id, "not inside a class folder");
      }
      int label = classes.indexOf(id.substring(0, slash));
      if (label < 0) {
        return Records.reject(id, "folder '" + id.substring(0, slash) + "' is not a class folder");
      }
      try {
        return Records.ok(id, label, ImageCodec.decode(file.getAs(1), channels, size, size).data());
      } catch (ImageCodec.UndecodableImageException e) {
        return Records.reject(id, e.getMessage());
      }
    }
  }
}
