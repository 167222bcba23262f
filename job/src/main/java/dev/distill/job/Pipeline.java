package dev.distill.job;

import dev.distill.job.common.ClassBalancedSample;
import dev.distill.job.common.FitStage;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.common.LabelStage;
import dev.distill.job.common.ObserveStage;
import dev.distill.job.common.WriteStage;
import dev.distill.job.config.ConfigError;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.method.MethodPlan;
import dev.distill.job.output.Manifest;
import dev.distill.job.output.OutputCommit;
import dev.distill.job.output.OutputFiles;
import dev.distill.job.output.OutputWriter;
import dev.distill.job.output.Report;
import dev.distill.job.stage.Images;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.StageRunner;
import dev.distill.job.stage.Tables;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.ml.SparkImages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job: a plan of stages — ingest → observe → the methods' stages in phase order (select →
 * compose → palette → compensate) → label → write — run against the resume ledger in a staging
 * directory, then the manifest, an atomic commit and the report. The budget is planned right after
 * ingest, before anything expensive. With {@code observerOnly} the plan stops after the observers
 * ({@code train-observer}).
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private Pipeline() {}

  /** What a finished run reports. */
  public record Outcome(String output, Manifest manifest) {}

  public static Outcome run(SparkSession spark, DistillConfig config, boolean observerOnly) {
    return run(spark, config, observerOnly, null);
  }

  /** @param from restart at this stage even if its record matches (null: reuse what matches) */
  public static Outcome run(SparkSession spark, DistillConfig config, boolean observerOnly, String from) {
    MethodPlan methods = MethodPlan.of(config);
    List<Stage<?>> plan = plan(methods, observerOnly);
    List<String> names = plan.stream().map(Stage::name).toList();
    if (from != null && !names.contains(from)) {
      throw new ConfigError("--from " + from + ": not a stage of this run; its stages are " + names);
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("distill.input.path", config.input().path());
    inputs.put("distill.input.test-path", config.input().testPath());
    inputs.put("distill.observer.path", config.observer().path());
    OutputCommit.refuseOverlap(config.output().path(), inputs, spark.sparkContext().hadoopConfiguration());
    OutputCommit commit = OutputCommit.prepare(config.output().path(), config.output().overwrite(),
        config.output().resume(), spark.sparkContext().hadoopConfiguration(), allWrites(plan));
    StageContext ctx = new StageContext(spark, config, commit.staging());
    try {
      List<String> reused = new StageRunner(ctx, commit.fs()).run(plan, from, done -> {
        if (done.equals(IngestStage.NAME) && !observerOnly) {
          ctx.plan(methods.budget(ctx.summary(IngestStage.NAME, IngestSummary.class), () -> budgetSample(ctx)));
          LOG.info("budget: {} bytes ({} accounting, from {}) buy {} per class of {} ({} bytes each)",
              ctx.plan().budget().bytes(), ctx.plan().budget().accounting().key(), ctx.plan().budget().key(),
              ctx.plan().perClass(), ctx.plan().unit().kind(), ctx.plan().unit().bytes(ctx.plan().budget().accounting()));
        }
      });
      OutputWriter writer = new OutputWriter(commit.fs(), commit.staging());
      writer.removeWorkFiles();
      Manifest manifest = RunManifest.of(ctx, methods, observerOnly, commit, reused);
      writer.write(OutputFiles.MANIFEST, manifest.toJson());
      writer.removeChecksumFiles();
      commit.commit();
      if (!observerOnly) {
        Report.write(commit.fs(), commit.target(), MethodPlan.reportSections(manifest));
      }
      return new Outcome(commit.target().toString(), manifest);
    } catch (Throwable e) { // Spark's failures are checked exceptions Java does not declare
      RuntimeException clearer = commit.abort(e);
      if (clearer != null) {
        throw clearer;
      }
      throw e;
    }
  }

  /** Training images the on-disk cost of an item is estimated on: 20 a class, by seed. */
  private static List<PixelImage> budgetSample(StageContext ctx) {
    int channels = ctx.config().input().channels();
    return ClassBalancedSample.of(ctx.table(Tables.TRAIN), ctx.config().seed(), "budget-estimate", 20)
        .orderBy("id").collectAsList().stream().map(r -> SparkImages.fromPlanar(r.getAs("pixels"), channels)).toList();
  }

  static List<Stage<?>> plan(MethodPlan methods, boolean observerOnly) {
    List<Stage<?>> plan = new ArrayList<>(List.of(new IngestStage(), new ObserveStage()));
    if (!observerOnly) {
      plan.addAll(methods.stageList());
      Images images = methods.images();
      if (methods.fitsOnDisk()) {
        plan.add(new FitStage(images));
        images = new Images(FitStage.NAME, FitStage.TABLE);
      }
      plan.add(new LabelStage(images));
    }
    plan.add(new WriteStage(!observerOnly));
    return plan;
  }

  /** Everything the plan's stages may leave in staging, besides the ledger and scratch space. */
  private static List<String> allWrites(List<Stage<?>> plan) {
    return plan.stream().flatMap(s -> s.writes().stream()).map(w -> w.split("/")[0]).distinct().toList();
  }
}
