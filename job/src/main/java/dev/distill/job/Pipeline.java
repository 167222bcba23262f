package dev.distill.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.output.Manifest;
import dev.distill.job.output.OutputCommit;
import dev.distill.job.output.OutputWriter;
import dev.distill.job.output.Report;
import dev.distill.job.stage.ComposeStage;
import dev.distill.job.stage.IngestStage;
import dev.distill.job.stage.Ingested;
import dev.distill.job.stage.LabelStage;
import dev.distill.job.stage.ObserverStage;
import dev.distill.job.stage.ScoreStage;
import dev.distill.job.stage.SelectStage;
import dev.distill.job.stage.StageContext;
import dev.distill.udf.hadoop.HadoopConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The RDED job, stage by stage: ingest → observe → score → select → compose → label → write, then
 * an atomic commit. With {@code observerOnly} it stops after training the observers
 * ({@code train-observer}).
 */
public final class Pipeline {
  private Pipeline() {}

  /** What a finished run reports. */
  public record Outcome(String output, ObjectNode manifest) {}

  public static Outcome run(SparkSession spark, DistillConfig config, boolean observerOnly) {
    OutputCommit commit = OutputCommit.prepare(config.output().path(), config.output().overwrite(),
        spark.sparkContext().hadoopConfiguration());
    StageContext ctx = new StageContext(spark, config, commit.staging());
    try {
      Outcome outcome = execute(ctx, commit, observerOnly);
      commit.commit();
      if (!observerOnly) {
        Report.write(commit.fs(), commit.target());
      }
      return new Outcome(commit.target().toString(), outcome.manifest());
    } catch (RuntimeException e) {
      commit.abort();
      throw e;
    }
  }

  private static Outcome execute(StageContext ctx, OutputCommit commit, boolean observerOnly) {
    DistillConfig c = ctx.config();
    Ingested data = ctx.stage("ingest", "Reading and validating " + c.input().path(), () -> IngestStage.run(ctx));
    SelectStage.checkClassSizes(c, data);
    ObserverStage.Result observer = ctx.stage("observe",
        c.observer().path() != null ? "Checking observer " + c.observer().path()
            : "Training observers " + c.observer().architectures() + " on " + data.trainPerClass().values()
                .stream().mapToLong(Long::longValue).sum() + " images",
        () -> ObserverStage.run(ctx, data));
    OutputWriter writer = new OutputWriter(commit);
    long images = 0;
    if (!observerOnly) {
      Dataset<Row> scored = ctx.stage("score", "Scoring " + c.rded().cropsPerImage()
          + " crops per pool image with " + observer.primary().architecture(),
          () -> persisted(ScoreStage.run(ctx, data, observer)));
      Dataset<Row> labelled = ctx.stage("compose", "Selecting, stitching and labelling "
          + SelectStage.patchesPerClass(c) + " patches per class", () -> {
            Dataset<Row> selected = SelectStage.run(ctx, scored);
            Dataset<Row> composed = ComposeStage.run(ctx, selected, data.classes());
            return persisted(LabelStage.run(ctx, composed, observer));
          });
      images = ctx.stage("write", "Writing images and labels", () -> {
        writer.images(labelled, c.input().channels(), new HadoopConf(ctx.hadoop()));
        writer.labels(labelled, data.classes());
        return labelled.count();
      });
      scored.unpersist();
      labelled.unpersist();
    }
    writer.classes(data.classes());
    writer.text(OutputWriter.CONFIG, c.definingRendering());
    writer.rejects(data.rejects());
    writer.removeWorkFiles();
    ObjectNode manifest = Manifest.build(c, data, observer, images, writer.bytesByEntry(), ctx.timingsMs());
    writer.write(Manifest.FILE, manifest);
    writer.removeChecksumFiles();
    return new Outcome(commit.target().toString(), manifest);
  }

  /** Scoring is the expensive step: keep its result rather than recompute it per consumer. */
  private static Dataset<Row> persisted(Dataset<Row> rows) {
    Dataset<Row> kept = rows.persist(StorageLevel.MEMORY_AND_DISK());
    kept.count();
    return kept;
  }
}
