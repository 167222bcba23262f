package dev.distill.job.method;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.budget.BudgetPlan;
import dev.distill.job.budget.ImageShape;
import dev.distill.job.budget.ItemCost;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.config.MethodSection;
import dev.distill.job.config.MethodSettings;
import dev.distill.job.stage.Images;
import java.util.List;

/**
 * A distillation method: it parses its config section ({@link MethodSection}), prices what it
 * stores, contributes its stages, and describes itself in the manifest and the report. Everything
 * a method needs lives in its own package; registering it is one line in
 * {@code META-INF/services/dev.distill.job.config.MethodSection}.
 *
 * <p>The stages of all configured methods run between the shared ones, ordered by {@link Phase};
 * the last stage that leaves images ({@link MethodStage#images()}) leaves what the shared label
 * stage reads.
 */
public interface Method extends MethodSection {

  /**
   * What one unit of the budget costs per class with this method's storage, or null when it does
   * not decide storage (a selection-only method). The planner uses the cost of the latest-phase
   * method that decides it.
   */
  ItemCost unitCost(MethodSettings settings, ImageShape shape);

  /**
   * What the method stores per unit and class on top of the stored images (INFER: a share of the
   * compensators and the composites' labels), or null.
   */
  default ItemCost addedCost(MethodSettings settings, ImageShape shape) {
    return null;
  }

  /**
   * {@code image} stored this method's way, for estimating on-disk costs before anything is made
   * (the 8-bit PNG unless the method stores images differently).
   */
  default byte[] storedForm(MethodSettings settings, dev.distill.udf.image.PixelImage image) {
    return dev.distill.udf.image.ImageCodec.encodePng(image);
  }

  /**
   * Checks the plan against the data before any expensive stage (e.g. that each class has enough
   * images for its share), failing with a message that names the class and the keys to change.
   */
  void check(MethodSettings settings, BudgetPlan plan, IngestSummary data);

  /**
   * Its stages. {@code upstream} is where the methods of earlier phases left their images (null
   * when none did); a method that transforms images reads those and fails with a
   * {@link dev.distill.job.config.ConfigError} when there are none.
   */
  List<MethodStage> stages(MethodSettings settings, Images upstream);

  /** The phase of its first stage: methods are wired to each other in this order. */
  Phase phase();

  /** Patches per side of each stored image: 1 for natural images; students augment accordingly. */
  default int patchGrid(MethodSettings settings) {
    return 1;
  }

  /** Its block of {@code manifest.json}, under its name: the settings a reader of the output needs. */
  ObjectNode manifestBlock(MethodSettings settings);

  /** A paragraph of HTML for {@code report.html}: what the method did, from its manifest block. */
  String reportSection(com.fasterxml.jackson.databind.JsonNode block);
}
