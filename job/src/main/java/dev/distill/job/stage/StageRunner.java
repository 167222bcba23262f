package dev.distill.job.stage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distill.job.config.DistillConfig;
import dev.distill.udf.ml.TaskFault;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan of stages against the resume ledger: each stage is reused when its record matches,
 * else cleared, run under its own Spark job group and description, timed, committed, and offered
 * to the fault hook. Logs, for every stage, whether it was reused or why it runs.
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  private final StageContext ctx;
  private final StageLedger ledger;

  public StageRunner(StageContext ctx, FileSystem fs) {
    this.ctx = ctx;
    this.ledger = new StageLedger(fs, ctx.staging());
  }

  /**
   * @param from the stage to restart at (it and every later stage run), or null
   * @param afterEach called with each stage's name once its summary is available
   * @return the names of the stages that were reused
   */
  public List<String> run(List<Stage<?>> plan, String from, Consumer<String> afterEach) {
    List<String> ran = new ArrayList<>();
    List<String> reused = new ArrayList<>();
    boolean forced = false;
    for (Stage<?> stage : plan) {
      forced |= stage.name().equals(from);
      JsonNode settings = StageLedger.settingsJson(stage.settings(ctx));
      StageLedger.Verdict v = forced ? new StageLedger.Verdict(false, "run --from " + from, null)
          : ledger.check(stage, settings, ran);
      if (v.reuse()) {
        LOG.info("stage {}: reused, {}", stage.name(), v.reason());
        ctx.putSummary(stage.name(), ledger.summary(v.record(), stage.summaryType()));
        ctx.timingsMs().put(stage.name(), 0L);
        reused.add(stage.name());
      } else {
        if (v.record() != null || forced) {
          LOG.info("stage {}: runs again, {}", stage.name(), v.reason());
        }
        ledger.clear(stage);
        DistillConfig.Fault fault = ctx.config().fault();
        taskFault(TaskFault.FAIL, stage.name().equals(fault.failTaskOnce()) ? stage.name() : null);
        taskFault(TaskFault.STALL, stage.name().equals(fault.stallTaskOnce()) ? stage.name() : null);
        Object summary;
        try {
          summary = ctx.run(stage);
        } finally {
          taskFault(TaskFault.FAIL, null);
          taskFault(TaskFault.STALL, null);
        }
        ledger.commit(stage, settings, summary, ctx.timingsMs().get(stage.name()), ctx.config().sha256());
        ran.add(stage.name());
        FaultHook.afterCommit(ctx.config().fault(), stage.name());
      }
      afterEach.accept(stage.name());
    }
    return reused;
  }

  private void taskFault(String property, String stage) {
    ctx.spark().sparkContext().setLocalProperty(property, stage);
  }
}
