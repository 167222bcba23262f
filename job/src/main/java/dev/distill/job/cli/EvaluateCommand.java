package dev.distill.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.distill.job.Sessions;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.eval.Evaluation;
import dev.distill.job.eval.TeacherExport;
import dev.distill.job.output.OutputFiles;
import dev.distill.job.read.InputError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains students on a distilled output and on the baselines, tests them on the held-out split,
 * and writes {@code evaluation.json} into the output. The output's own {@code config.conf} (the
 * settings it was made with) is the starting point; {@code --conf} and {@code -D} override it.
 * With {@code --plan}, summarises students exported earlier (distill.evaluate.export-path) from
 * their plan and their runs alone; with {@code --teacher-export}, writes those students again with
 * teacher labels instead.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Train students on a distilled output (and baselines) and test them; see distill.evaluate.*")
final class EvaluateCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--data", required = true, paramLabel = "OUT", description = "a distilled output directory")
    String data;

    @Option(names = "--plan", required = true, paramLabel = "DIR",
        description = "exported students' directory: summarise its plan.json from the runs in "
            + "distill.evaluate.runs-path, without Spark")
    String plan;
  }

  @Option(names = "--teacher-export", paramLabel = "OUT",
      description = "with --plan: write its static-label students again with teacher labels into OUT (the same "
          + "images; teachers copied from distill.observer.path, else where the manifest says), without distilling")
  String teacherExport;

  @Mixin JobOptions options = new JobOptions();

  @Override
  public Integer call() {
    if (teacherExport != null && what.plan == null) {
      throw new InputError("--teacher-export: give the static-label students' directory with --plan");
    }
    if (what.plan != null) {
      DistillConfig config = ConfigLoader.load(options.conf, options.overrides);
      if (teacherExport != null) {
        int n = TeacherExport.write(what.plan, config.observer().path(), teacherExport, new Configuration());
        System.out.println(n + " students written to " + teacherExport + " with teacher labels; train them with "
            + "bench/ExportedStudents.java and summarise with --plan " + teacherExport);
        return 0;
      }
      System.out.println(table(Evaluation.summarise(config, what.plan, new Configuration())));
      return 0;
    }
    String data = what.data;
    DistillConfig config = ConfigLoader.load(options.conf, options.overrides, madeWith(data));
    SparkSession spark = Sessions.create(config);
    try {
      System.out.println(table(Evaluation.run(spark, config, data)));
      return 0;
    } finally {
      spark.stop();
    }
  }

  static Config madeWith(String output) {
    Path file = new Path(output, OutputFiles.CONFIG);
    try (InputStream in = file.getFileSystem(new Configuration()).open(file)) {
      return ConfigFactory.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new InputError(file + ": cannot read the config the output was made with: " + e.getMessage(), e);
    }
  }

  static String table(JsonNode report) {
    StringBuilder s = new StringBuilder(String.format("%-10s %-10s %-8s %6s %9s %16s %16s%n",
        "dataset", "student", "labels", "images", "bytes", "best (last 20%)", "final"));
    for (JsonNode row : report.get("summary")) {
      s.append(String.format("%-10s %-10s %-8s %6d %9s %9.2f ± %4.2f %9.2f ± %4.2f%n",
          row.get("dataset").asText(), row.get("student").asText(), row.get("labels").asText(),
          row.get("train_images").asInt(), row.has("bytes") ? row.get("bytes").get("total").asText() : "all",
          100 * row.get("best").get("mean").asDouble(), 100 * row.get("best").get("std").asDouble(),
          100 * row.get("last").get("mean").asDouble(), 100 * row.get("last").get("std").asDouble()));
    }
    for (JsonNode c : report.path("ior")) {
      s.append(String.format("IOR %s − %s at IPC %d, %s / %s: %+.2f points (95%% CI %+.2f … %+.2f), paired p = %.3g, n = %d%n",
          c.get("method").asText(), c.get("baseline").asText(), c.get("ipc").asInt(), c.get("student").asText(),
          c.get("labels").asText(), 100 * c.get("mean_difference").asDouble(), 100 * c.get("ci95").get(0).asDouble(),
          100 * c.get("ci95").get(1).asDouble(), c.get("p_value").asDouble(), c.get("n").asInt()));
    }
    s.append("mean ± std over ").append(report.get("summary").get(0).get("seeds").asInt())
        .append(" seeds; observer test accuracy ")
        .append(String.format("%.2f%%", 100 * report.get("observer_test_accuracy").asDouble()));
    return s.toString();
  }
}
