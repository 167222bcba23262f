package dev.distill.job.method.palette;

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
import dev.distill.job.method.MethodRegistry;
import dev.distill.job.method.MethodStage;
import dev.distill.job.method.Phase;
import dev.distill.job.stage.Images;
import dev.distill.udf.palette.IndexedPng;
import java.util.List;

/**
 * AutoPalette's storage half (Yuan et al., NeurIPS 2024): every image another method chose is
 * re-coloured with K colours and stored as an indexed PNG at ⌈log2 K⌉ bits a pixel (PNG rounds 3
 * up to 4), so the byte budget buys more images per class; the stored soft labels are the
 * observer's logits on the re-coloured image, the one a student sees.
 */
public final class Palette implements Method {
  public static final String NAME = "palette";
  static final String STAGE = "palette";
  static final String TABLE = "palette_images";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MethodSettings parse(ConfigReader r, String p, DistillConfig.Input input) {
    return new PaletteSettings(r.integer(p + "colours", 2, 256),
        r.oneOf(p + "quantiser", List.of(PaletteSettings.MEDIAN_CUT)));
  }

  /** An indexed image of K colours with one label vector. */
  @Override
  public ItemCost unitCost(MethodSettings settings, ImageShape shape) {
    return ItemCost.kColourImage(shape, ((PaletteSettings) settings).colours(), 1);
  }

  @Override
  public void check(MethodSettings settings, BudgetPlan plan, IngestSummary data) {}

  @Override
  public List<MethodStage> stages(MethodSettings settings, Images upstream) {
    if (upstream == null) {
      throw new ConfigError("distill.methods: palette re-colours the images another method chooses; list one"
          + " of " + MethodRegistry.choosers() + " with it");
    }
    return List.of(new MethodStage(Phase.PALETTE, new QuantiseStage(upstream), TABLE));
  }

  @Override
  public Phase phase() {
    return Phase.PALETTE;
  }

  @Override
  public ObjectNode manifestBlock(MethodSettings settings) {
    PaletteSettings s = (PaletteSettings) settings;
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("colours", s.colours());
    b.put("quantiser", s.quantiser());
    b.put("png_bit_depth", IndexedPng.bitDepth(s.colours()));
    b.put("image_format", "indexed png");
    return b;
  }

  @Override
  public String reportSection(JsonNode b) {
    return "<p><b>Palette</b>: each image re-coloured with at most " + b.path("colours").asInt() + " colours by "
        + b.path("quantiser").asText() + " and stored as an indexed PNG at " + b.path("png_bit_depth").asInt()
        + " bits a pixel; soft labels are the observer's on the re-coloured image.</p>";
  }

  static PaletteSettings settings(DistillConfig c) {
    return c.method(NAME, PaletteSettings.class);
  }
}
