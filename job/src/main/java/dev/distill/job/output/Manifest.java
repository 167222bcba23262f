package dev.distill.job.output;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * {@code manifest.json}: what was made, from what, at what cost — written by the job, read back by
 * evaluation, the report and the CLI through this one record. Written last, so its presence marks
 * a complete output. Everything except {@code timings_ms} and {@code reused_stages} (how this
 * particular run went) is identical across reruns of the same config and input.
 *
 * <p>Format 2 added {@code methods}, {@code patch_grid}, {@code budget} and {@code reused_stages};
 * format-1 manifests (RDED only) are still read.
 *
 * @param ipc items per class the budget planned (images per class for image-per-item methods)
 * @param patchGrid patches per side of each stored image (1: natural images)
 * @param methodBlocks each method's own block, stored under its name
 */
public record Manifest(
    int formatVersion,
    List<String> methods,
    int classes,
    long images,
    int ipc,
    long seed,
    String configSha256,
    int patchGrid,
    Budget budget,
    Map<String, JsonNode> methodBlocks,
    Input input,
    Observer observer,
    Bytes bytes,
    Map<String, String> versions,
    Map<String, Long> timingsMs,
    List<String> reusedStages) {

  public static final int FORMAT_VERSION = 2;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The plan and its accounting; null in format-1 manifests. */
  public record Budget(
      @JsonProperty("bytes") long bytes,
      @JsonProperty("accounting") String accounting,
      @JsonProperty("from") String from,
      @JsonProperty("items_per_class") int itemsPerClass,
      @JsonProperty("unit") String unit,
      @JsonProperty("unit_bytes") long unitBytes,
      @JsonProperty("planned_bytes") long plannedBytes) {}

  public record Input(
      @JsonProperty("format") String format,
      @JsonProperty("records") long records,
      @JsonProperty("rejected") long rejected,
      @JsonProperty("test_images") long testImages,
      @JsonProperty("validation_images") long validationImages,
      @JsonProperty("train_images_per_class") Map<String, Long> trainImagesPerClass) {}

  /**
   * {@code location} is relative to the output when {@code trainedByThisRun}; {@code labelledBy}
   * names the observers whose mean logits are the stored soft labels.
   */
  public record Observer(String location, String architecture, String format, Double testAccuracy,
      boolean trainedByThisRun, Map<String, Trained> trained, List<String> labelledBy) {

    /** Where to load the scoring observer from, given the output directory. */
    public String resolve(Path output) {
      return trainedByThisRun ? new Path(output, location).toString() : location;
    }
  }

  /**
   * An observer this run trained: test accuracy and validation accuracy after each epoch (its
   * training time is in {@code timings_ms} as {@code observe/<architecture>}: times vary by run).
   */
  public record Trained(
      @JsonProperty("test_accuracy") Double testAccuracy,
      @JsonProperty("validation_accuracy_by_epoch") List<Double> validationAccuracyByEpoch) {}

  /**
   * On-disk bytes by kind. {@code total} is what a user ships (images + labels, and INFER's
   * compensators, from which readers rebuild its composites); the observer is
   * listed apart because only teacher-mode training needs it, and so is the provenance file (where
   * each image came from: not needed to train). {@code softLabelPayload} is the raw float32 size of
   * the stored logits, for comparison with the Parquet file.
   */
  @JsonIgnoreProperties(value = "total", allowGetters = true)
  public record Bytes(
      @JsonProperty("images") long images,
      @JsonProperty("labels") long labels,
      @JsonProperty("soft_label_payload") long softLabelPayload,
      @JsonProperty("classes") long classes,
      @JsonProperty("rejects") long rejects,
      @JsonProperty("config") long config,
      @JsonProperty("observer") long observer,
      @JsonProperty("provenance") long provenance,
      @JsonProperty("compensators") long compensators) {
    @JsonProperty("total")
    public long total() {
      return images + labels + compensators;
    }
  }

  /** The methods as one name, e.g. {@code rded} or {@code rded+autopalette}. */
  public String method() {
    return String.join("+", methods);
  }

  public ObjectNode toJson() {
    ObjectNode m = JSON.createObjectNode();
    m.put("format_version", formatVersion);
    m.put("method", method());
    methods.forEach(m.putArray("methods")::add);
    m.put("classes", classes);
    m.put("images", images);
    m.put("ipc", ipc);
    m.put("seed", seed);
    m.put("config_sha256", configSha256);
    m.put("patch_grid", patchGrid);
    m.set("budget", JSON.valueToTree(budget));
    methodBlocks.forEach(m::set);
    m.set("input", JSON.valueToTree(input));

    ObjectNode o = m.putObject("observer");
    o.put("location", observer.location());
    o.put("architecture", observer.architecture());
    o.put("format", observer.format());
    if (observer.testAccuracy() == null) {
      o.putNull("test_accuracy");
    } else {
      o.put("test_accuracy", observer.testAccuracy());
    }
    o.put("trained_by_this_run", observer.trainedByThisRun());
    ObjectNode trained = o.putObject("trained");
    observer.trained().forEach((arch, t) -> trained.set(arch, JSON.valueToTree(t)));
    observer.labelledBy().forEach(o.putArray("labelled_by")::add);

    m.set("bytes", JSON.valueToTree(bytes));
    versions.forEach(m.putObject("versions")::put);
    timingsMs.forEach(m.putObject("timings_ms")::put);
    reusedStages.forEach(m.putArray("reused_stages")::add);
    return m;
  }

  public static Manifest parse(byte[] json, String source) {
    JsonNode m;
    try {
      m = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
    }
    int version = m.path("format_version").asInt(0);
    if (version < 1 || version > FORMAT_VERSION) {
      throw new IllegalArgumentException(source + ": format_version " + m.path("format_version")
          + " is not one this job reads (1 to " + FORMAT_VERSION + ")");
    }
    List<String> methods = new ArrayList<>();
    if (m.has("methods")) {
      m.get("methods").forEach(n -> methods.add(n.asText()));
    } else {
      methods.add(m.path("method").asText("rded"));
    }
    Map<String, JsonNode> blocks = new LinkedHashMap<>();
    methods.stream().filter(m::has).forEach(name -> blocks.put(name, m.get(name)));
    int grid = m.has("patch_grid") ? m.get("patch_grid").asInt() : m.path("rded").path("factor").asInt(1);
    Budget budget = m.has("budget") ? field(m, "budget", Budget.class, source) : null;
    JsonNode o = m.get("observer");
    Map<String, Trained> trained = new LinkedHashMap<>();
    o.path("trained").fields().forEachRemaining(e -> trained.put(e.getKey(), new Trained(
        number(e.getValue().get("test_accuracy")), e.getValue().has("validation_accuracy_by_epoch")
            ? JSON.convertValue(e.getValue().get("validation_accuracy_by_epoch"),
                JSON.getTypeFactory().constructCollectionType(List.class, Double.class)) : List.of())));
    Map<String, String> versions = new LinkedHashMap<>();
    m.path("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
    Map<String, Long> timings = new LinkedHashMap<>();
    m.path("timings_ms").fields().forEachRemaining(e -> timings.put(e.getKey(), e.getValue().asLong()));
    List<String> labelledBy = new ArrayList<>();
    o.path("labelled_by").forEach(n -> labelledBy.add(n.asText()));
    if (labelledBy.isEmpty()) {
      labelledBy.add(o.get("architecture").asText()); // format 1: the scoring observer labelled
    }
    List<String> reused = new ArrayList<>();
    m.path("reused_stages").forEach(n -> reused.add(n.asText()));
    return new Manifest(version, methods, m.get("classes").asInt(), m.get("images").asLong(), m.get("ipc").asInt(),
        m.get("seed").asLong(), m.get("config_sha256").asText(), grid, budget, blocks,
        field(m, "input", Input.class, source),
        new Observer(o.get("location").asText(), o.get("architecture").asText(), o.path("format").asText(),
            number(o.get("test_accuracy")), o.get("trained_by_this_run").asBoolean(), trained, labelledBy),
        field(m, "bytes", Bytes.class, source),
        versions, timings, reused);
  }

  private static <T> T field(JsonNode m, String name, Class<T> type, String source) {
    try {
      return JSON.treeToValue(m.get(name), type);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": field " + name + " is not a valid " + type.getSimpleName()
          + ": " + e.getMessage(), e);
    }
  }

  private static Double number(JsonNode n) {
    return n == null || n.isNull() ? null : n.asDouble();
  }

  /** The manifest of the output directory {@code out}; a clear error when it is not one. */
  public static Manifest read(org.apache.hadoop.fs.FileSystem fs, Path out) {
    Path file = new Path(out, OutputFiles.MANIFEST);
    try (var in = fs.open(file)) {
      return parse(in.readAllBytes(), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException(out + ": not a distilled output (no readable " + OutputFiles.MANIFEST
          + "): " + e.getMessage(), e);
    }
  }

  public byte[] toBytes() {
    try {
      return JSON.writeValueAsBytes(toJson());
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the manifest", e);
    }
  }
}
