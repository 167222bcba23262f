package dev.distill.job;

import dev.distill.job.budget.BudgetPlan;
import dev.distill.job.budget.ByteLedger;
import dev.distill.job.common.FitStage;
import dev.distill.job.common.FitSummary;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.common.ObserveStage;
import dev.distill.job.common.ObserverSummary;
import dev.distill.job.common.WriteStage;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.config.Redaction;
import dev.distill.job.method.MethodPlan;
import dev.distill.job.output.Manifest;
import dev.distill.job.output.OutputCommit;
import dev.distill.job.output.OutputFiles;
import dev.distill.job.stage.StageContext;
import dev.distill.udf.model.ObserverMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Assembles a finished run's {@link Manifest} from its stages' summaries, plan and written bytes. */
final class RunManifest {
  private RunManifest() {}

  /** The build's version, from the properties file Maven writes into the jar. */
  static String version() {
    try (var in = RunManifest.class.getResourceAsStream("version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown (no version.properties on the class path)");
    } catch (java.io.IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  static Manifest of(StageContext ctx, MethodPlan methods, boolean observerOnly, OutputCommit commit,
      List<String> reused) {
    DistillConfig c = ctx.config();
    IngestSummary data = ctx.summary(IngestStage.NAME, IngestSummary.class);
    ObserverSummary observer = ctx.summary(ObserveStage.NAME, ObserverSummary.class);
    long images = ctx.summary(WriteStage.NAME, Long.class);
    ByteLedger written = ByteLedger.measure(commit.fs(), commit.staging(), Set.of(OutputFiles.MANIFEST));
    int classes = data.classes().size();

    Manifest.Budget budget;
    if (observerOnly) {
      budget = new Manifest.Budget(0, c.budget().accounting(), "train-observer", 0, "none", 0, 0);
    } else {
      BudgetPlan plan = ctx.plan();
      budget = new Manifest.Budget(plan.budget().bytes(), plan.budget().accounting().key(), plan.budget().key(),
          plan.perClass(), plan.unit().kind(), plan.unit().bytes(plan.budget().accounting()), plan.plannedBytes());
    }
    Map<String, Long> perClass = new LinkedHashMap<>();
    data.trainPerClass().forEach((k, v) -> perClass.put(data.classes().name(k), v));
    ObserverMetadata p = observer.primary();
    Map<String, Manifest.Trained> trained = new LinkedHashMap<>();
    observer.trained().forEach(t -> trained.put(t.architecture(), new Manifest.Trained(t.testAccuracy(),
        observer.validationCurves().getOrDefault(t.architecture(), List.of()))));
    Map<String, Long> timings = new LinkedHashMap<>(ctx.timingsMs());
    if (!reused.contains(ObserveStage.NAME)) {
      observer.trainSeconds().forEach((arch, s) -> timings.put(ObserveStage.NAME + "/" + arch, Math.round(1000 * s)));
    }
    boolean ours = !observer.trained().isEmpty();
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("distill", version());
    versions.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    versions.put("djl", ai.djl.engine.Engine.getDjlVersion());
    versions.put("pytorch", ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
    versions.put("java", System.getProperty("java.specification.version"));

    // Under on-disk accounting the fit stage decides how many each class keeps; INFER's units (slots)
    // each give 1 + M training images.
    int perClassKept = observerOnly ? 0 : ctx.has(FitStage.NAME)
        ? ctx.summary(FitStage.NAME, FitSummary.class).maxPerClass()
        : (int) Math.max(ctx.plan().perClass(), images / Math.max(1, classes));
    return new Manifest(Manifest.FORMAT_VERSION, c.methodNames(), classes, images, perClassKept, c.seed(), c.sha256(), methods.patchGrid(), budget,
        observerOnly ? Map.of() : methods.manifestBlocks(),
        new Manifest.Input(c.input().format(), data.records(), data.rejected(), data.testImages(),
            data.validationImages(), perClass),
        new Manifest.Observer(ours ? OutputFiles.OBSERVERS + "/" + p.architecture() : Redaction.uris(observer.location()),
            p.architecture(), p.format(), p.testAccuracy(), ours, trained,
            observerOnly ? List.of() : c.label().allTeachers() && !observer.trainedLocations().isEmpty()
                ? c.observer().architectures() : List.of(p.architecture())),
        new Manifest.Bytes(written.of(OutputFiles.IMAGES), written.of(OutputFiles.LABELS),
            images * classes * (long) Float.BYTES, written.of(OutputFiles.CLASSES), written.of(OutputFiles.REJECTS),
            written.of(OutputFiles.CONFIG), written.of(OutputFiles.OBSERVERS), written.of(OutputFiles.PROVENANCE),
            written.of(OutputFiles.COMPENSATORS)),
        versions, timings, reused);
  }
}
