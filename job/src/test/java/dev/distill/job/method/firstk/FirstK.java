package dev.distill.job.method.firstk;

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
 * A test-only method, to show what adding one takes: this package and one line in
 * {@code META-INF/services}. It keeps the first k real images of each class by id.
 */
public final class FirstK implements Method {
  public static final String NAME = "firstk";

  /** No settings of its own. */
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
        throw new InputError("class " + label + " has " + n + " images, fewer than " + plan.perClass());
      }
    });
  }

  @Override
  public List<MethodStage> stages(MethodSettings settings, Images upstream) {
    return List.of(new MethodStage(Phase.SELECT, new FirstKStage(), Tables.DISTILLED));
  }

  @Override
  public Phase phase() {
    return Phase.SELECT;
  }

  @Override
  public ObjectNode manifestBlock(MethodSettings settings) {
    return JsonNodeFactory.instance.objectNode().put("order", "id");
  }

  @Override
  public String reportSection(JsonNode block) {
    return "<p><b>first-k</b>: the first images of each class by " + block.path("order").asText() + ".</p>";
  }
}
