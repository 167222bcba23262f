package dev.distill.udf.hadoop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Makes a directory that may live on HDFS or S3 readable as a local path, which is what native
 * model loaders need. Local paths are used in place; remote ones are copied once into a temporary
 * directory that is removed when the JVM exits.
 */
public final class LocalCopy {
  private LocalCopy() {}

  public static Path of(String location, Configuration conf) {
    URI uri = URI.create(location);
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      return uri.getScheme() == null ? Path.of(location) : Path.of(uri);
    }
    try {
      org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = src.getFileSystem(conf);
      Path dir = Files.createTempDirectory("distill-model-");
      dir.toFile().deleteOnExit();
      for (FileStatus file : fs.listStatus(src)) {
        if (file.isFile()) {
          Path target = dir.resolve(file.getPath().getName());
          fs.copyToLocalFile(false, file.getPath(), new org.apache.hadoop.fs.Path(target.toUri()), true);
          target.toFile().deleteOnExit();
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + location + " to local disk", e);
    }
  }
}
