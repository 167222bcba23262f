package dev.distill.job.method.rded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.budget.BudgetPlan;
import dev.distill.job.budget.ImageShape;
import dev.distill.job.budget.ItemCost;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.config.ConfigError;
import dev.distill.job.config.ConfigReader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.config.MethodSettings;
import dev.distill.job.method.Method;
import dev.distill.job.method.MethodStage;
import dev.distill.job.method.Phase;
import dev.distill.job.read.InputError;
import dev.distill.job.stage.Images;
import dev.distill.job.stage.Tables;
import java.util.List;
import java.util.Map;

/**
 * RDED (Sun et al., CVPR 2024): score random crops of a per-class pool with the observer, keep the
 * best crop per image and the {@code items × factor²} best per class, stitch them factor × factor
 * into images. Stages: {@link ScoreStage} → {@link SelectStage} → {@link ComposeStage}.
 */
public final class Rded implements Method {
  public static final String NAME = "rded";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MethodSettings parse(ConfigReader r, String rd, DistillConfig.Input input) {
    int factor = r.integer(rd + "factor", 0, 8);
    RdedSettings s = new RdedSettings(
        factor == 0 ? (input.imageSize() <= 64 ? 1 : 2) : factor,
        r.integer(rd + "crops-per-image", 1, 1000),
        r.integer(rd + "pool-size", 1, 10_000_000),
        r.number(rd + "min-scale", v -> v > 0 && v <= 1, "a fraction in (0, 1]"),
        r.number(rd + "max-scale", v -> v > 0 && v <= 1, "a fraction in (0, 1]"),
        r.oneOf(rd + "short-class", List.of("fail", "keep-all")),
        r.oneOf(rd + "label-granularity", List.of("image", "patch")));
    if (s.minScale() > s.maxScale()) {
      r.problem(rd + "min-scale", "must not exceed distill.rded.max-scale (" + s.maxScale() + ")");
    }
    if (s.factor() > input.imageSize() / 4) {
      r.problem(rd + "factor", "patches would be smaller than 4 px at image-size " + input.imageSize());
    }
    return s;
  }

  /** One full-depth image, with one label vector, plus one per patch for region-level labels. */
  @Override
  public ItemCost unitCost(MethodSettings settings, ImageShape shape) {
    RdedSettings s = (RdedSettings) settings;
    return ItemCost.fullDepthImage(shape, s.patchLabels() ? 1 + s.patchesPerImage() : 1);
  }

  /**
   * The pool must hold every patch a class needs, and (with {@code short-class = fail}) so must each
   * class: both fail here, after ingest and before the observer trains.
   */
  @Override
  public void check(MethodSettings settings, BudgetPlan plan, IngestSummary data) {
    RdedSettings s = (RdedSettings) settings;
    long need = (long) plan.perClass() * s.patchesPerImage();
    if (s.poolSize() < need) {
      throw new ConfigError("distill.rded.pool-size = " + s.poolSize() + ": must be at least " + need
          + " (" + plan.perClass() + " images per class x factor^2 = " + s.patchesPerImage()
          + "; the pool is what the best patches are chosen from)");
    }
    if (!s.shortClass().equals("fail")) {
      return;
    }
    for (Map.Entry<Integer, Long> e : data.trainPerClass().entrySet()) {
      if (e.getValue() < need) {
        throw new InputError("class " + e.getKey() + " ('" + data.classes().name(e.getKey()) + "') has "
            + e.getValue() + " training images but " + plan.perClass() + " images per class ("
            + plan.budget().key() + ") with factor " + s.factor() + " need " + need
            + "; lower the budget or set distill.rded.short-class = keep-all");
      }
    }
  }

  @Override
  public List<MethodStage> stages(MethodSettings settings, Images upstream) {
    return List.of(new MethodStage(Phase.SELECT, new ScoreStage()), new MethodStage(Phase.SELECT, new SelectStage()),
        new MethodStage(Phase.COMPOSE, new ComposeStage(), Tables.DISTILLED));
  }

  @Override
  public int patchGrid(MethodSettings settings) {
    return ((RdedSettings) settings).factor();
  }

  @Override
  public Phase phase() {
    return Phase.SELECT;
  }

  @Override
  public ObjectNode manifestBlock(MethodSettings settings) {
    RdedSettings s = (RdedSettings) settings;
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("factor", s.factor());
    b.put("crops_per_image", s.cropsPerImage());
    b.put("pool_size", s.poolSize());
    b.put("min_scale", s.minScale());
    b.put("max_scale", s.maxScale());
    b.put("label_granularity", s.labelGranularity());
    b.put("image_format", "png");
    return b;
  }

  @Override
  public String reportSection(JsonNode b) {
    return "<p><b>RDED</b>: per class, " + b.path("pool_size").asInt() + " pool images, "
        + b.path("crops_per_image").asInt() + " random crops each (area " + b.path("min_scale").asDouble()
        + "–" + b.path("max_scale").asDouble() + "), scored by the observer's cross-entropy; the best crop per"
        + " image, the best crops per class, stitched " + b.path("factor").asInt() + " × " + b.path("factor").asInt()
        + " per image; soft labels per " + b.path("label_granularity").asText() + ".</p>";
  }

  /** The settings of this run: RDED stages read them from the config in their context. */
  static RdedSettings settings(DistillConfig c) {
    return c.method(NAME, RdedSettings.class);
  }
}
