package dev.distill.job.method;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distill.job.budget.Accounting;
import dev.distill.job.budget.BudgetPlan;
import dev.distill.job.budget.ImageShape;
import dev.distill.job.budget.ItemCost;
import dev.distill.job.budget.StorageBudget;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.config.ConfigError;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.config.MethodSections;
import dev.distill.job.config.MethodSettings;
import dev.distill.job.output.Manifest;
import dev.distill.job.stage.Images;
import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.image.PixelImage;
import dev.distill.job.stage.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured methods of one run, together: their stages in phase order, the budget plan priced
 * by their cost model, their checks, manifest blocks and report sections.
 */
public final class MethodPlan {
  private final DistillConfig config;
  private final Map<String, Method> methods = new LinkedHashMap<>();
  private final List<MethodStage> stages = new ArrayList<>();

  /**
   * Wires the methods in phase order: each gets the images the earlier ones left. Only one method
   * may choose images from the training data (phases select and compose).
   */
  private MethodPlan(DistillConfig config) {
    this.config = config;
    config.methodNames().stream().map(MethodRegistry::get).sorted(Comparator.comparing(Method::phase))
        .forEach(m -> methods.put(m.name(), m));
    List<String> choosers = methods.values().stream().filter(m -> m.phase().compareTo(Phase.COMPOSE) <= 0)
        .map(Method::name).toList();
    if (choosers.size() != 1) {
      throw new ConfigError("distill.methods = " + config.methodNames() + ": exactly one method must choose the"
          + " images from the training data, found " + (choosers.isEmpty() ? "none" : choosers) + "; the choosers"
          + " are " + MethodRegistry.choosers() + ", the others transform what one of them chose");
    }
    Images upstream = null;
    for (Method m : methods.values()) {
      List<MethodStage> own = m.stages(config.methods().get(m.name()), upstream);
      stages.addAll(own);
      for (MethodStage s : own) {
        upstream = s.images() == null ? upstream : new Images(s.stage().name(), s.images());
      }
    }
    stages.sort(Comparator.comparing(MethodStage::phase)); // stable: keeps each method's own order
  }

  public static MethodPlan of(DistillConfig config) {
    return new MethodPlan(config);
  }

  /** Every method's stages, ordered by phase; within a phase, in {@code distill.methods} order. */
  public List<Stage<?>> stageList() {
    return stages.stream().<Stage<?>>map(MethodStage::stage).toList();
  }

  /** Whether the budget is charged by the files as written: then a fit stage trims what was chosen. */
  public boolean fitsOnDisk() {
    return Accounting.parse(config.budget().accounting()) == Accounting.ON_DISK;
  }

  /** Where the last stage that makes images leaves them: what the label stage reads. */
  public Images images() {
    MethodStage last = stages.stream().filter(s -> s.images() != null).reduce((a, b) -> b).orElseThrow();
    return new Images(last.stage().name(), last.images());
  }

  /**
   * Prices the budget with the cost of the latest-phase method that decides storage (a plain 8-bit
   * image with its label when none does) plus what methods add per unit (compensators), then lets every method check the plan against the data.
   * Under on-disk accounting the item's cost is measured on {@code sample} (training images), stored
   * that method's way.
   */
  public BudgetPlan budget(IngestSummary data, java.util.function.Supplier<List<PixelImage>> sample) {
    DistillConfig.Input in = config.input();
    ImageShape shape = new ImageShape(in.channels(), in.imageSize(), in.imageSize(), data.classes().size());
    StorageBudget budget = StorageBudget.of(config.budget().bytes(), config.ipc(),
        Accounting.parse(config.budget().accounting()), shape);
    ItemCost unit = ItemCost.fullDepthImage(shape, 1);
    Method storing = null;
    for (Map.Entry<String, Method> e : methods.entrySet()) {
      MethodSettings settings = config.methods().get(e.getKey());
      ItemCost cost = e.getValue().unitCost(settings, shape);
      if (cost != null && (storing == null || e.getValue().phase().compareTo(storing.phase()) >= 0)) {
        unit = cost;
        storing = e.getValue();
      }
    }
    if (budget.accounting() == Accounting.ON_DISK) {
      unit = unit.measuredOnDisk(meanFileBytes(storing, sample.get()));
    }
    for (Map.Entry<String, Method> e : methods.entrySet()) {
      ItemCost added = e.getValue().addedCost(config.methods().get(e.getKey()), shape);
      if (added != null) {
        unit = unit.plus(added);
      }
    }
    BudgetPlan plan = BudgetPlan.of(budget, unit);
    methods.forEach((name, m) -> m.check(config.methods().get(name), plan, data));
    return plan;
  }

  /** Mean file bytes of {@code sample} stored by {@code storing} (8-bit PNG when null). */
  private long meanFileBytes(Method storing, List<PixelImage> sample) {
    if (sample.isEmpty()) {
      throw new IllegalStateException("no training image to estimate on-disk sizes from");
    }
    long files = 0;
    for (PixelImage image : sample) {
      files += storing == null ? ImageCodec.encodePng(image).length
          : storing.storedForm(config.methods().get(storing.name()), image).length;
    }
    return (files + sample.size() / 2) / sample.size();
  }

  /** Patches per side of the stored images: the first method that stitches decides. */
  public int patchGrid() {
    return methods.entrySet().stream().mapToInt(e -> e.getValue().patchGrid(config.methods().get(e.getKey())))
        .filter(g -> g > 1).findFirst().orElse(1);
  }

  public Map<String, JsonNode> manifestBlocks() {
    Map<String, JsonNode> blocks = new LinkedHashMap<>();
    methods.forEach((name, m) -> blocks.put(name, m.manifestBlock(config.methods().get(name))));
    return blocks;
  }

  /** The report's paragraph for each method of {@code manifest} that this build knows. */
  public static List<String> reportSections(Manifest manifest) {
    var known = MethodSections.known();
    List<String> out = new ArrayList<>();
    manifest.methodBlocks().forEach((name, block) -> {
      if (known.get(name) instanceof Method m) {
        out.add(m.reportSection(block));
      }
    });
    return out;
  }
}
