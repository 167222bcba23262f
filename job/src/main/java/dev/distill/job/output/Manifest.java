package dev.distill.job.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.stage.Ingested;
import dev.distill.job.stage.ObserverStage;
import dev.distill.udf.model.ObserverMetadata;
import java.util.Map;

/**
 * {@code manifest.json}: what was made, from what, at what cost. Written last, so its presence
 * marks a complete output. {@code bytes.total} counts what a user ships (images + labels); the
 * observer is listed apart because only teacher-mode training needs it. Everything except
 * {@code timings_ms} is identical across reruns of the same config and input.
 */
public final class Manifest {
  public static final String FILE = "manifest.json";
  static final int FORMAT_VERSION = 1;

  private Manifest() {}

  public static ObjectNode build(DistillConfig c, Ingested data, ObserverStage.Result observer,
      long images, Map<String, Long> bytesByEntry, Map<String, Long> timingsMs) {
    ObjectNode m = OutputWriter.JSON.createObjectNode();
    m.put("format_version", FORMAT_VERSION);
    m.put("method", "rded");
    m.put("classes", data.classes().size());
    m.put("images", images);
    m.put("ipc", c.ipc());
    m.put("seed", c.seed());
    m.put("config_sha256", c.sha256());
    ObjectNode rded = m.putObject("rded");
    rded.put("factor", c.rded().factor());
    rded.put("crops_per_image", c.rded().cropsPerImage());
    rded.put("pool_size", c.rded().poolSize());
    rded.put("min_scale", c.rded().minScale());
    rded.put("max_scale", c.rded().maxScale());
    rded.put("label_granularity", c.rded().labelGranularity());
    rded.put("image_format", "png");

    ObjectNode counts = m.putObject("input");
    counts.put("format", c.input().format());
    counts.put("records", data.records());
    counts.put("rejected", data.rejected());
    counts.put("test_images", data.testImages());
    ObjectNode perClass = counts.putObject("train_images_per_class");
    data.trainPerClass().forEach((k, v) -> perClass.put(data.classes().name(k), v));

    ObjectNode obs = m.putObject("observer");
    ObserverMetadata p = observer.primary();
    obs.put("location", observer.trained().isEmpty() ? observer.location()
        : ObserverStage.DIR + "/" + p.architecture());
    obs.put("architecture", p.architecture());
    obs.put("format", p.format());
    if (p.testAccuracy() == null) {
      obs.putNull("test_accuracy");
    } else {
      obs.put("test_accuracy", p.testAccuracy());
    }
    obs.put("trained_by_this_run", !observer.trained().isEmpty());
    ObjectNode all = obs.putObject("trained");
    for (ObserverMetadata t : observer.trained()) {
      all.putObject(t.architecture()).put("test_accuracy", t.testAccuracy());
    }

    ObjectNode bytes = m.putObject("bytes");
    long img = bytesByEntry.getOrDefault(OutputWriter.IMAGES, 0L);
    long lab = bytesByEntry.getOrDefault(OutputWriter.LABELS, 0L);
    bytes.put("images", img);
    bytes.put("labels", lab);
    bytes.put("soft_label_payload", images * data.classes().size() * (long) Float.BYTES);
    bytes.put("classes", bytesByEntry.getOrDefault(OutputWriter.CLASSES, 0L));
    bytes.put("rejects", bytesByEntry.getOrDefault(OutputWriter.REJECTS, 0L));
    bytes.put("config", bytesByEntry.getOrDefault(OutputWriter.CONFIG, 0L));
    bytes.put("observer", bytesByEntry.getOrDefault(ObserverStage.DIR, 0L));
    bytes.put("total", img + lab);

    ObjectNode versions = m.putObject("versions");
    versions.put("distill", String.valueOf(Manifest.class.getPackage().getImplementationVersion()));
    versions.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    versions.put("djl", ai.djl.engine.Engine.getDjlVersion());
    versions.put("pytorch", ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
    versions.put("java", System.getProperty("java.specification.version"));

    ObjectNode timings = m.putObject("timings_ms");
    timingsMs.forEach(timings::put);
    return m;
  }
}
