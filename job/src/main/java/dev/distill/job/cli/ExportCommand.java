package dev.distill.job.cli;

import dev.distill.job.Sessions;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.output.Manifest;
import dev.distill.job.output.Materialized;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a distilled output with every training image as a file (INFER's composites included). */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write every training image of a distilled output as a PNG with its label (an image folder)")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "OUT", description = "a distilled output directory")
  String data;

  @Option(names = "--materialize", required = true, paramLabel = "DIR", description = "a new directory to write")
  String target;

  @Mixin JobOptions options = new JobOptions();

  @Override
  public Integer call() {
    DistillConfig config = ConfigLoader.load(options.conf, options.overrides, EvaluateCommand.madeWith(data));
    SparkSession spark = Sessions.create(config);
    try {
      DistilledOutput output = DistilledOutput.open(data, spark.sparkContext().hadoopConfiguration());
      Materialized.Summary s = Materialized.write(spark, output, target, config.input().channels(),
          config.input().imageSize());
      Manifest.Bytes stored = output.manifest().bytes();
      System.out.printf("exported %d images (%d composites rebuilt) to %s: %d bytes of images + %d of labels,"
          + " against %d stored in %s (images %d + labels %d + compensators %d)%n", s.images(), s.composites(), target,
          s.imageBytes(), s.labelBytes(), stored.total(), data, stored.images(), stored.labels(), stored.compensators());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
