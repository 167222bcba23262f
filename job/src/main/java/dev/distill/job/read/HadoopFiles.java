package dev.distill.job.read;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/** Opening files through the Hadoop FileSystem API (local, hdfs://, s3a://), decompressing by suffix. */
final class HadoopFiles {
  private HadoopFiles() {}

  static DataInputStream open(String file, Configuration conf) throws IOException {
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    InputStream raw = fs.open(path);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    return new DataInputStream(codec == null ? raw : codec.createInputStream(raw));
  }

  static boolean exists(String file, Configuration conf) throws IOException {
    Path path = new Path(file);
    return path.getFileSystem(conf).exists(path);
  }

  static long length(String file, Configuration conf) throws IOException {
    Path path = new Path(file);
    return path.getFileSystem(conf).getFileStatus(path).getLen();
  }
}
