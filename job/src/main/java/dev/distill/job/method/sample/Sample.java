package dev.distill.job.method.sample;

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

/**
 * Real images drawn uniformly at random per class ({@code distill.methods = [sample]}): the random
 * baseline as a method, so that what other methods add on top of a choice of images (a palette,
 * compensators) can be measured on a random choice too — {@code [sample, palette]} is "random +
 * median cut".
 */
public final class Sample implements Method {
  public static final String NAME = "sample";

  /** No settings of its own: the draw is fixed by {@code distill.seed}. */
  record Settings() implements MethodSettings {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MethodSettings parse(ConfigReader reader, String prefix, DistillConfig.Input input) {
    return new Settings();
  }

  @Override
  public ItemCost unitCost(MethodSettings settings, ImageShape shape) {
    return null; // plain 8-bit images: the planner's default
  }

  @Override
  public void check(MethodSettings settings, BudgetPlan plan, IngestSummary data) {
    data.trainPerClass().forEach((label, n) -> {
      if (n < plan.perClass()) {
        throw new InputError("class " + label + " ('" + data.classes().name(label) + "') has " + n
            + " training images but the budget (" + plan.budget().key() + ") buys " + plan.perClass()
            + " per class; lower the budget");
      }
    });
  }

  @Override
  public List<MethodStage> stages(MethodSettings settings, Images upstream) {
    return List.of(new MethodStage(Phase.SELECT, new SampleStage(), Tables.DISTILLED));
  }

  @Override
  public Phase phase() {
    return Phase.SELECT;
  }

  @Override
  public ObjectNode manifestBlock(MethodSettings settings) {
    return JsonNodeFactory.instance.objectNode().put("draw", "uniform per class, by distill.seed");
  }

  @Override
  public String reportSection(JsonNode block) {
    return "<p><b>sample</b>: real images drawn uniformly at random per class (the random baseline as a"
        + " method).</p>";
  }
}
