package dev.distill.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distill.job.Pipeline;
import dev.distill.job.Sessions;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.eval.Evaluation;
import java.io.File;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads and logs the config, runs the pipeline, prints where the output is and a summary. */
final class JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(JobCommand.class);

  private JobCommand() {}

  static int run(File conf, Map<String, String> overrides, boolean observerOnly) {
    DistillConfig config = ConfigLoader.load(conf, overrides);
    LOG.info("effective configuration (sha256 {}):\n{}", config.sha256(), config.redactedRendering());
    SparkSession spark = Sessions.create(config);
    try {
      Pipeline.Outcome outcome = Pipeline.run(spark, config, observerOnly);
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
    JsonNode m = outcome.manifest();
    JsonNode obs = m.get("observer");
    StringBuilder s = new StringBuilder();
    s.append("output:        ").append(outcome.output()).append('\n');
    s.append("images:        ").append(m.get("images").asLong()).append(" (").append(m.get("classes").asInt())
        .append(" classes x ipc ").append(m.get("ipc").asInt()).append(")\n");
    s.append("bytes:         ").append(m.get("bytes").get("total").asLong()).append(" (images ")
        .append(m.get("bytes").get("images").asLong()).append(", labels ")
        .append(m.get("bytes").get("labels").asLong()).append(")\n");
    s.append("observer:      ").append(obs.get("architecture").asText()).append(", test accuracy ")
        .append(obs.get("test_accuracy").isNull() ? "n/a (no test split)"
            : String.format("%.2f%%", 100 * obs.get("test_accuracy").asDouble())).append('\n');
    s.append("input:         ").append(m.get("input").get("records").asLong()).append(" records, ")
        .append(m.get("input").get("rejected").asLong()).append(" rejected (rejects.jsonl)\n");
    s.append("stage times:   ").append(m.get("timings_ms").toString()).append(" ms");
    return s.toString();
  }
}
