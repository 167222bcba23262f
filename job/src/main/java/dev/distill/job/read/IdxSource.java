package dev.distill.job.read;

import dev.distill.job.config.DistillConfig;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.image.PixelImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * IDX pairs (MNIST, Fashion-MNIST): {@code *images-idx3-ubyte[.gz]} with the matching
 * {@code *labels-idx1-ubyte[.gz]}. Headers are checked on the driver; tasks read ranges of records
 * (a gzip range is reached by decompressing from the start, which is cheap at MNIST sizes).
 * Records missing from a truncated file become rejects that say where the file ended.
 */
final class IdxSource implements ImageSource {
  static final int IMAGES_MAGIC = 0x0803;
  static final int LABELS_MAGIC = 0x0801;

  @Override
  public Result read(SparkSession spark, String path, DistillConfig.Input input) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String labels = labelsPath(path);
    int[] imageDims = header(path, conf, IMAGES_MAGIC, 3);
    int[] labelDims = header(labels, conf, LABELS_MAGIC, 1);
    if (imageDims[0] != labelDims[0]) {
      throw new InputError(path + " holds " + imageDims[0] + " images but " + labels + " holds "
          + labelDims[0] + " labels; the two files must come from the same split");
    }
    List<RecordRange> ranges = RecordRange.split(path, imageDims[0], input.partitions());
    var rows = new JavaSparkContext(spark.sparkContext())
        .parallelize(ranges, Math.max(1, ranges.size()))
        .flatMap(new ReadRange(labels, imageDims[1], imageDims[2], input.channels(),
            input.imageSize(), new HadoopConf(conf)));
    return new Result(spark.createDataFrame(rows, Records.SCHEMA), null);
  }

  static String labelsPath(String imagesPath) {
    String name = imagesPath.substring(imagesPath.lastIndexOf('/') + 1);
    if (!name.contains("images-idx3")) {
      throw new InputError(imagesPath + ": an IDX images file name must contain 'images-idx3' "
          + "(e.g. train-images-idx3-ubyte.gz) so that its labels file can be found");
    }
    return imagesPath.substring(0, imagesPath.length() - name.length())
        + name.replace("images-idx3", "labels-idx1");
  }

  /** Reads and checks the magic number; returns the dimensions. */
  static int[] header(String file, Configuration conf, int magic, int dims) {
    try {
      if (!HadoopFiles.exists(file, conf)) {
        throw new InputError(file + ": no such file");
      }
      try (DataInputStream in = HadoopFiles.open(file, conf)) {
        int found = in.readInt();
        if (found != magic) {
          throw new InputError(String.format(
              "%s: not an IDX file of %d dimension(s) of unsigned bytes (magic 0x%08X, expected 0x%08X)",
              file, dims, found, magic));
        }
        int[] out = new int[dims];
        for (int i = 0; i < dims; i++) {
          out[i] = in.readInt();
        }
        return out;
      }
    } catch (IOException e) {
      throw new InputError(file + ": cannot read the IDX header: " + e.getMessage(), e);
    }
  }

  private record ReadRange(String labels, int rows, int cols, int channels, int size, HadoopConf conf)
      implements FlatMapFunction<RecordRange, Row> {

    @Override
    public java.util.Iterator<Row> call(RecordRange range) throws IOException {
      int bytes = rows * cols;
      List<Row> out = new ArrayList<>();
      long next = range.start();
      String failure = null;
      try (DataInputStream images = HadoopFiles.open(range.file(), conf.get());
          DataInputStream labelIn = HadoopFiles.open(labels, conf.get())) {
        try {
          images.skipNBytes(16 + range.start() * bytes);
        } catch (java.io.EOFException e) {
          throw new java.io.EOFException(range.file() + " ends before image " + range.start());
        }
        try {
          labelIn.skipNBytes(8 + range.start());
        } catch (java.io.EOFException e) {
          throw new java.io.EOFException(labels + " ends before label " + range.start());
        }
        byte[] buffer = new byte[bytes];
        for (; next < range.end(); next++) {
          try {
            images.readFully(buffer);
          } catch (IOException e) {
            failure = "truncated: " + range.file() + " ends before image " + next
                + " (bytes " + (16 + next * bytes) + ".." + (16 + (next + 1) * bytes) + ")";
            break;
          }
          int label;
          try {
            label = labelIn.readUnsignedByte();
          } catch (IOException e) {
            failure = "truncated: " + labels + " ends before label " + next;
            break;
          }
          PixelImage image = new PixelImage(1, rows, cols, buffer.clone());
          out.add(Records.ok(range.id(next), label,
              ImageCodec.conform(image, channels, size, size).data()));
        }
      } catch (IOException e) {
        failure = "truncated: " + e.getMessage();
      }
      for (; next < range.end(); next++) {
        out.add(Records.reject(range.id(next), failure));
      }
      return out.iterator();
    }
  }
}
