package dev.distill.job.eval;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import dev.distill.job.Pipeline;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.InputListing;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.config.Redaction;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.output.OutputFiles;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.StageLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output distilled again for another data seed: the same input, observers and settings with
 * {@code distill.seed = seed} (a fresh pool, fresh crops). Made in the evaluation's scratch, or, with
 * {@code distill.evaluate.redistilled-path}, kept there under a key of everything it depends on and
 * reused by any later evaluation with the same key — a resumed benchmark, the other label mode,
 * another student temperature — which would otherwise distil it again (minutes each for graph cut
 * and compensators). Distillation is deterministic, so a kept output is the one it would make.
 */
final class Redistillation {
  private static final Logger LOG = LoggerFactory.getLogger(Redistillation.class);

  private Redistillation() {}

  static DistilledOutput of(StageContext ctx, DistilledOutput distilled, long seed) {
    String observers = distilled.observersToReuse(ctx.config().observer().architectures());
    String kept = ctx.config().evaluate().redistilledPath();
    if (kept == null) {
      return distil(ctx, observers, seed, ctx.work("distilled-seed-" + seed));
    }
    Path target = new Path(kept, key(ctx, observers, seed) + "-seed-" + seed);
    // A kept output is complete when its manifest is there: outputs are renamed into place whole.
    if (exists(ctx, new Path(target, OutputFiles.MANIFEST))) {
      LOG.info("data seed {}: reusing {}, distilled earlier from the same settings, input and observers", seed,
          Redaction.uris(target.toString()));
      return DistilledOutput.open(target.toString(), ctx.hadoop());
    }
    return distil(ctx, observers, seed, target);
  }

  private static DistilledOutput distil(StageContext ctx, String observers, long seed, Path target) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("distill.seed", String.valueOf(seed));
    o.put("distill.observer.path", ConfigUtil.quoteString(observers));
    o.put("distill.output.path", ConfigUtil.quoteString(target.toString()));
    o.put("distill.output.overwrite", "true");
    o.put("distill.output.resume", "false");
    DistillConfig again = ConfigLoader.load(null, o, ConfigFactory.parseString(ctx.config().definingRendering()));
    Pipeline.Outcome outcome = Pipeline.run(ctx.spark(), again, false);
    return DistilledOutput.open(outcome.output(), ctx.hadoop());
  }

  /**
   * What the distillation depends on, hashed: the settings (config SHA-256 and the seed) and the
   * listings — names, lengths, modification times — of the input's and the observers' files, the
   * same evidence the resume ledger trusts.
   */
  private static String key(StageContext ctx, String observers, long seed) {
    Map<String, Object> k = new TreeMap<>();
    k.put("config_sha256", ctx.config().sha256());
    k.put("seed", seed);
    k.put("input", new IngestStage().settings(ctx));
    k.put("observers", InputListing.of(observers, ctx.hadoop()));
    return StageLedger.sha256(StageLedger.settingsJson(k)).substring(0, 20);
  }

  private static boolean exists(StageContext ctx, Path file) {
    try {
      return file.getFileSystem(ctx.hadoop()).exists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for a kept distillation at " + file, e);
    }
  }
}
