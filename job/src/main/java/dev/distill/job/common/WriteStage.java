package dev.distill.job.common;

import dev.distill.job.config.Redaction;
import dev.distill.job.output.OutputFiles;
import dev.distill.job.output.OutputWriter;
import dev.distill.job.stage.Stage;
import dev.distill.job.stage.StageContext;
import dev.distill.job.stage.Tables;
import dev.distill.udf.hadoop.HadoopConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes the dataset a user gets into the staging directory: the images and {@code labels.parquet}
 * from the {@code labelled} table (none for {@code train-observer}), {@code classes.json},
 * {@code rejects.jsonl} and {@code config.conf}. Its summary is the number of images.
 */
public final class WriteStage implements Stage<Long> {
  public static final String NAME = "write";
  private final boolean images;

  /** @param images whether the plan made images (false: the observers are the product) */
  public WriteStage(boolean images) {
    this.images = images;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return images ? List.of(IngestStage.NAME, LabelStage.NAME) : List.of(IngestStage.NAME);
  }

  @Override
  public List<String> writes() {
    List<String> w = new ArrayList<>(List.of(OutputFiles.CLASSES, OutputFiles.CONFIG, OutputFiles.REJECTS));
    if (images) {
      w.addAll(0, List.of(OutputFiles.IMAGES, OutputFiles.LABELS, OutputFiles.PROVENANCE, OutputFiles.COMPENSATORS));
    }
    return w;
  }

  @Override
  public Object settings(StageContext ctx) {
    return Map.of("images", images, "channels", ctx.config().input().channels(),
        "config_sha256", ctx.config().sha256());
  }

  @Override
  public String description(StageContext ctx) {
    return images ? "Writing images and labels" : "Writing classes and rejects";
  }

  @Override
  public Class<Long> summaryType() {
    return Long.class;
  }

  @Override
  public Long run(StageContext ctx) {
    FileSystem fs;
    try {
      fs = ctx.staging().getFileSystem(ctx.hadoop());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    IngestSummary data = ctx.summary(IngestStage.NAME, IngestSummary.class);
    OutputWriter writer = new OutputWriter(fs, ctx.staging());
    long count = 0;
    if (images) {
      Dataset<Row> labelled = ctx.table(Tables.LABELLED);
      writer.images(labelled, ctx.config().input().channels(), new HadoopConf(ctx.hadoop()));
      writer.labels(labelled, data.classes());
      if (Tables.has(labelled, OutputWriter.COMPENSATOR)) {
        writer.compensators(ctx.table(Tables.COMPENSATORS));
      }
      count = labelled.count();
    }
    writer.classes(data.classes());
    // Credentials in a URI's user-info never reach the output (the hash still covers the real value).
    writer.text(OutputFiles.CONFIG, Redaction.uris(ctx.config().definingRendering()));
    writer.rejects(ctx.table(Tables.REJECTS));
    return count;
  }
}
