package dev.distill.job.read;

import dev.distill.job.config.DistillConfig;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.image.PixelImage;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * CIFAR-10/100 binary batches: records of label byte(s) then 3072 bytes of planar RGB 32×32.
 * {@code path} is a file or a glob ({@code cifar-10-batches-bin/data_batch_*.bin}). Class names
 * come from {@code batches.meta.txt} (CIFAR-10) or {@code fine|coarse_label_names.txt} (CIFAR-100)
 * beside the batches when present. A trailing partial record is a reject.
 */
final class CifarSource implements ImageSource {
  private static final int PIXELS = 3 * 32 * 32;

  @Override
  public Result read(SparkSession spark, String path, DistillConfig.Input input) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    int labelBytes = input.cifarVariant() == 100 ? 2 : 1;
    int labelOffset = input.cifarVariant() == 100 && input.cifarLabel().equals("fine") ? 1 : 0;
    int record = labelBytes + PIXELS;
    List<RecordRange> ranges = new ArrayList<>();
    List<Row> partial = new ArrayList<>();
    FileStatus[] files = list(path, conf);
    int perFile = Math.max(1, input.partitions() / files.length);
    for (FileStatus file : files) {
      String name = file.getPath().toString();
      long count = file.getLen() / record;
      ranges.addAll(RecordRange.split(name, count, perFile));
      long rest = file.getLen() % record;
      if (rest != 0) {
        partial.add(Records.reject(new RecordRange(name, count, count + 1).id(count),
            "truncated: last record of " + name + " has " + rest + " of " + record + " bytes"));
      }
    }
    var rows = new JavaSparkContext(spark.sparkContext())
        .parallelize(ranges, Math.max(1, ranges.size()))
        .flatMap(new ReadRange(record, labelOffset, input.channels(), input.imageSize(), new HadoopConf(conf)));
    var jsc = new JavaSparkContext(spark.sparkContext());
    var all = partial.isEmpty() ? rows : rows.union(jsc.parallelize(partial, 1));
    return new Result(spark.createDataFrame(all, Records.SCHEMA),
        classNames(files[0].getPath().getParent(), input, conf));
  }

  private static FileStatus[] list(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileStatus[] found = p.getFileSystem(conf).globStatus(p);
      if (found == null || found.length == 0) {
        throw new InputError(path + ": no CIFAR batch file matches");
      }
      FileStatus[] files = Arrays.stream(found).filter(FileStatus::isFile)
          .sorted(Comparator.comparing(f -> f.getPath().toString())).toArray(FileStatus[]::new);
      if (files.length == 0) {
        throw new InputError(path + ": matches only directories; give a batch file or a glob such as "
            + path + "/data_batch_*.bin");
      }
      return files;
    } catch (IOException e) {
      throw new InputError(path + ": cannot list: " + e.getMessage(), e);
    }
  }

  private static ClassMapping classNames(Path dir, DistillConfig.Input input, Configuration conf) {
    String meta = input.cifarVariant() == 10 ? "batches.meta.txt" : input.cifarLabel() + "_label_names.txt";
    Path file = new Path(dir, meta);
    try {
      FileSystem fs = file.getFileSystem(conf);
      if (!fs.exists(file)) {
        return null;
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
        List<String> names = r.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        return names.isEmpty() ? null : new ClassMapping(names);
      }
    } catch (IOException e) {
      throw new InputError(file + ": cannot read class names: " + e.getMessage(), e);
    }
  }

  private record ReadRange(int record, int labelOffset, int channels, int size, HadoopConf conf)
      implements FlatMapFunction<RecordRange, Row> {

    @Override
    public java.util.Iterator<Row> call(RecordRange range) throws IOException {
      List<Row> out = new ArrayList<>();
      byte[] buffer = new byte[record];
      try (DataInputStream in = HadoopFiles.open(range.file(), conf.get())) {
        in.skipNBytes(range.start() * record);
        for (long i = range.start(); i < range.end(); i++) {
          in.readFully(buffer);
          byte[] pixels = Arrays.copyOfRange(buffer, record - PIXELS, record);
          PixelImage image = new PixelImage(3, 32, 32, pixels);
          out.add(Records.ok(range.id(i), buffer[labelOffset] & 0xFF,
              ImageCodec.conform(image, channels, size, size).data()));
        }
      }
      return out.iterator();
    }
  }
}
