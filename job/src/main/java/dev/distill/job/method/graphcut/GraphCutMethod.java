package dev.distill.job.method.graphcut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.budget.BudgetPlan;
import dev.distill.job.budget.ImageShape;
import dev.distill.job.budget.ItemCost;
import dev.distill.job.common.IngestSummary;
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
 * AutoPalette's colour-guided selection (method {@code graphcut}): real images chosen per class by
 * greedy maximisation of a generalised graph cut over feature similarity — representative of the
 * class, unlike what is already chosen — mixed with the observer's realism and a difficulty band
 * by {@link GraphCut}'s rule. Stages: {@link FeatureStage} → {@link CutStage}.
 */
public final class GraphCutMethod implements Method {
  public static final String NAME = "graphcut";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MethodSettings parse(ConfigReader r, String p, DistillConfig.Input input) {
    GraphCutSettings s = new GraphCutSettings(
        r.oneOf(p + "features", List.of(GraphCutSettings.EMBEDDING, GraphCutSettings.HISTOGRAM, GraphCutSettings.BOTH)),
        r.integer(p + "histogram-bins", 2, input.channels() == 1 ? 256 : 16),
        r.integer(p + "quantise-colours", 0, 256),
        r.number(p + "lambda", v -> v > 0, "a positive number"),
        r.oneOf(p + "greedy", List.of(GraphCutSettings.EXACT, GraphCutSettings.STOCHASTIC)),
        r.number(p + "epsilon", v -> v > 0 && v < 1, "a fraction in (0, 1)"),
        r.number(p + "realism-weight", v -> v >= 0 && v <= 1, "a weight in [0, 1]"),
        r.number(p + "drop-easiest", v -> v >= 0 && v < 1, "a fraction in [0, 1)"),
        r.number(p + "drop-hardest", v -> v >= 0 && v < 1, "a fraction in [0, 1)"),
        r.integer(p + "pool-size", 0, Integer.MAX_VALUE),
        r.integer(p + "parts-per-class", 1, 10_000));
    if (s.dropEasiest() + s.dropHardest() >= 1) {
      r.problem(p + "drop-hardest", "with " + p + "drop-easiest = " + s.dropEasiest() + " it leaves no candidate"
          + " (their sum must stay below 1)");
    }
    return s;
  }

  @Override
  public ItemCost unitCost(MethodSettings settings, ImageShape shape) {
    return null; // stores plain 8-bit images unless a later method re-colours them
  }

  /** Every class must leave {@code perClass} candidates after the pool and the difficulty band. */
  @Override
  public void check(MethodSettings settings, BudgetPlan plan, IngestSummary data) {
    GraphCutSettings s = (GraphCutSettings) settings;
    for (Map.Entry<Integer, Long> e : data.trainPerClass().entrySet()) {
      long pool = s.poolSize() == 0 ? e.getValue() : Math.min(s.poolSize(), e.getValue());
      long candidates = pool - (long) Math.floor(s.dropEasiest() * pool) - (long) Math.floor(s.dropHardest() * pool);
      if (s.partsPerClass() > 1) {
        candidates = Math.min(candidates, pool / s.partsPerClass());
      }
      if (candidates < plan.perClass()) {
        throw new InputError("class " + e.getKey() + " ('" + data.classes().name(e.getKey()) + "'): the budget ("
            + plan.budget().key() + ") buys " + plan.perClass() + " images per class but only " + candidates
            + " of its " + e.getValue() + " training images are candidates (distill.graphcut.pool-size = "
            + s.poolSize() + ", drop-easiest = " + s.dropEasiest() + ", drop-hardest = " + s.dropHardest()
            + ", parts-per-class = " + s.partsPerClass() + "); lower the budget or widen these");
      }
    }
  }

  @Override
  public List<MethodStage> stages(MethodSettings settings, Images upstream) {
    return List.of(new MethodStage(Phase.SELECT, new FeatureStage()),
        new MethodStage(Phase.SELECT, new CutStage(), Tables.DISTILLED));
  }

  @Override
  public Phase phase() {
    return Phase.SELECT;
  }

  @Override
  public ObjectNode manifestBlock(MethodSettings settings) {
    GraphCutSettings s = (GraphCutSettings) settings;
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("features", s.features());
    b.put("histogram_bins", s.histogramBins());
    b.put("quantise_colours", s.quantiseColours());
    b.put("similarity", "0.5 + 0.5 cos");
    b.put("lambda", s.lambda());
    b.put("greedy", s.greedy());
    b.put("epsilon", s.epsilon());
    b.put("realism_weight", s.realismWeight());
    b.put("drop_easiest", s.dropEasiest());
    b.put("drop_hardest", s.dropHardest());
    b.put("pool_size", s.poolSize());
    b.put("parts_per_class", s.partsPerClass());
    b.put("image_format", "png");
    return b;
  }

  @Override
  public String reportSection(JsonNode b) {
    return "<p><b>Graph cut</b>: real images chosen per class by " + b.path("greedy").asText() + " greedy maximisation"
        + " of a generalised graph cut (λ = " + b.path("lambda").asDouble() + ") over " + b.path("features").asText()
        + " similarity, mixed with the observer's realism at weight " + b.path("realism_weight").asDouble()
        + "; the easiest " + pct(b.path("drop_easiest").asDouble()) + " and hardest "
        + pct(b.path("drop_hardest").asDouble()) + " of each class by cross-entropy could not be chosen.</p>";
  }

  private static String pct(double fraction) {
    return Math.round(fraction * 100) + " %";
  }

  static GraphCutSettings settings(DistillConfig c) {
    return c.method(NAME, GraphCutSettings.class);
  }
}
