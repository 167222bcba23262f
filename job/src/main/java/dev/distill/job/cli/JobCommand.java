package dev.distill.job.cli;

import dev.distill.job.Pipeline;
import dev.distill.job.Sessions;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.eval.Evaluation;
import dev.distill.job.output.Manifest;
import java.io.File;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads and logs the config, runs the pipeline, prints where the output is and a summary. */
final class JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(JobCommand.class);

  private JobCommand() {}

  static int run(File conf, Map<String, String> overrides, boolean observerOnly, String from, boolean verbose) {
    if (verbose) {
      org.apache.logging.log4j.core.config.Configurator.setLevel("dev.distill", org.apache.logging.log4j.Level.DEBUG);
    }
    DistillConfig config = ConfigLoader.load(conf, overrides);
    // The full configuration is ~130 lines: on the console only with --verbose; config.conf in the
    // output holds what determines it either way.
    LOG.info("configuration sha256 {}, methods {} (--verbose prints all of it)", config.sha256(), config.methodNames());
    LOG.debug("effective configuration (sha256 {}):\n{}", config.sha256(), config.redactedRendering());
    SparkSession spark = Sessions.create(config);
    try {
      Pipeline.Outcome outcome = Pipeline.run(spark, config, observerOnly, from);
      System.out.println(summary(outcome));
      if (!observerOnly && config.evaluate().afterRun()) {
        System.out.println(EvaluateCommand.table(Evaluation.run(spark, config, outcome.output())));
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  static String summary(Pipeline.Outcome outcome) {
    Manifest m = outcome.manifest();
    Double accuracy = m.observer().testAccuracy();
    StringBuilder s = new StringBuilder();
    s.append("output:        ").append(outcome.output()).append('\n');
    s.append("images:        ").append(m.images()).append(" (").append(m.classes())
        .append(" classes x ").append(m.images() == (long) m.classes() * m.ipc() ? "" : "up to ")
        .append(m.ipc()).append(", method ").append(m.method()).append(")\n");
    s.append("bytes:         ").append(m.bytes().total()).append(" (images ").append(m.bytes().images())
        .append(", labels ").append(m.bytes().labels()).append(")");
    if (m.budget() != null && m.budget().bytes() > 0) {
      s.append(" of a ").append(m.budget().bytes()).append("-byte budget (").append(m.budget().accounting())
          .append(" accounting: ").append(switch (m.budget().accounting()) {
            case "on-disk" -> "files as written + label payload";
            case "paper" -> "images only, 2^(8-n) for n bits";
            default -> "raw sizes";
          }).append(")");
    }
    s.append('\n');
    s.append("observer:      ").append(m.observer().architecture()).append(", test accuracy ")
        .append(accuracy == null ? "n/a (no test split)" : String.format("%.2f%%", 100 * accuracy)).append('\n');
    s.append("input:         ").append(m.input().records()).append(" records, ")
        .append(m.input().rejected()).append(" rejected (rejects.jsonl)\n");
    if (!m.reusedStages().isEmpty()) {
      s.append("reused:        ").append(String.join(", ", m.reusedStages())).append(" (from the interrupted run)\n");
    }
    s.append("stage times:   ").append(m.toJson().get("timings_ms").toString()).append(" ms");
    return s.toString();
  }
}
