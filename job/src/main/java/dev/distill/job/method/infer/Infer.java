package dev.distill.job.method.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.budget.Accounting;
import dev.distill.job.budget.BudgetPlan;
import dev.distill.job.budget.ImageShape;
import dev.distill.job.budget.ItemCost;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.config.ConfigError;
import dev.distill.job.config.ConfigReader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.config.MethodSettings;
import dev.distill.job.method.Method;
import dev.distill.job.method.MethodRegistry;
import dev.distill.job.method.MethodStage;
import dev.distill.job.method.Phase;
import dev.distill.job.stage.Images;
import dev.distill.udf.infer.StoredCompensator;
import java.util.List;

/**
 * INFER (Zhang et al., ICLR 2025): universal feature compensators. The images another method chose
 * are grouped into slots (the k-th image of every class); for each slot and each teacher (the run's
 * observers) one image-shaped compensator is optimised so that it turns the slot's image of every
 * class into a further training image of that class. The output stores the natural images and the
 * compensators, not the composites; readers rebuild those exactly ({@link StoredCompensator}).
 * Budget: per class and slot, one natural image with its label, M labels for its composites, and
 * an M/C share of the slot's M compensators — the paper's ipc₀ = ⌊IPC / (1 + M/C)⌋, in bytes.
 */
public final class Infer implements Method {
  public static final String NAME = "infer";
  static final String STAGE = "compensate";
  static final String TABLE = "compensated";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MethodSettings parse(ConfigReader r, String p, DistillConfig.Input input) {
    return new InferSettings(Math.max(1, r.strings("distill.observer.architectures").size()),
        r.integer(p + "iterations", 1, 1_000_000),
        (float) r.number(p + "learning-rate", v -> v > 0, "a positive number"),
        (float) r.number(p + "bn-weight", v -> v >= 0, "a non-negative weight"),
        (float) r.number(p + "first-bn-weight", v -> v >= 0, "a non-negative weight"),
        r.integer(p + "max-shift", 0, 64));
  }

  /** Images are stored by the methods upstream; INFER adds compensators and labels ({@link #addedCost}). */
  @Override
  public ItemCost unitCost(MethodSettings settings, ImageShape shape) {
    return null;
  }

  /** Per class and slot: an M/C share of the slot's compensators and the labels of its M composites. */
  @Override
  public ItemCost addedCost(MethodSettings settings, ImageShape shape) {
    int m = ((InferSettings) settings).teachers();
    long stored = StoredCompensator.storedBytes(shape.channels(), shape.height(), shape.width());
    long share = (m * stored + shape.classes() - 1) / shape.classes();
    long paperShare = (m * shape.rawBytes() + shape.classes() - 1) / shape.classes();
    long labels = m * shape.labelBytes();
    return new ItemCost(m + "/" + shape.classes() + " compensator (int8 + scale) + " + m + " composite label vector"
        + (m == 1 ? "" : "s"), share + labels, paperShare, labels);
  }

  @Override
  public void check(MethodSettings settings, BudgetPlan plan, IngestSummary data) {
    if (plan.budget().accounting() == Accounting.ON_DISK) {
      throw new ConfigError("distill.budget.accounting = on-disk: infer does not support it yet (its fit stage would"
          + " drop natural images their compensators need); use strict or paper");
    }
  }

  @Override
  public List<MethodStage> stages(MethodSettings settings, Images upstream) {
    if (upstream == null) {
      throw new ConfigError("distill.methods: infer adds compensators to the images another method chooses; list one"
          + " of " + MethodRegistry.choosers() + " with it");
    }
    return List.of(new MethodStage(Phase.COMPENSATE, new CompensateStage(upstream), TABLE));
  }

  @Override
  public Phase phase() {
    return Phase.COMPENSATE;
  }

  @Override
  public ObjectNode manifestBlock(MethodSettings settings) {
    InferSettings s = (InferSettings) settings;
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("teachers", s.teachers());
    b.put("iterations", s.iterations());
    b.put("learning_rate", s.learningRate());
    b.put("bn_weight", s.bnWeight());
    b.put("first_bn_weight", s.firstBnWeight());
    b.put("max_shift", s.maxShift());
    b.put("compensator_format", "int8 + float32 scale");
    return b;
  }

  @Override
  public String reportSection(JsonNode b) {
    return "<p><b>INFER</b>: for each slot (one chosen image per class) and each of " + b.path("teachers").asInt()
        + " teacher(s), one universal feature compensator optimised for " + b.path("iterations").asInt()
        + " iterations (cross-entropy + BatchNorm statistics, first layer ×" + b.path("first_bn_weight").asDouble()
        + "); composites = natural image + compensator, rebuilt by readers from the stored "
        + b.path("compensator_format").asText() + " compensators.</p>";
  }

  static InferSettings settings(DistillConfig c) {
    return c.method(NAME, InferSettings.class);
  }
}
