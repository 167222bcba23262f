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
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.palette.IndexedPng;
import dev.distill.udf.palette.MedianCut;
import dev.distill.udf.palette.PaletteImage;
import dev.distill.udf.palette.PaletteTrainer;
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
    int colours = r.integer(p + "colours", 2, 256);
    String n = p + "network.";
    return new PaletteSettings(colours, r.oneOf(p + "quantiser", List.of(PaletteSettings.MEDIAN_CUT,
        PaletteSettings.NETWORK)), new PaletteTrainer.Options(colours,
        r.integer(n + "hidden", 1, 4096),
        r.integer(n + "iterations", 1, 1_000_000),
        r.integer(n + "batch-size", 1, 100_000),
        (float) r.number(n + "learning-rate", v -> v > 0, "a positive number"),
        (float) r.number(n + "momentum", v -> v >= 0 && v < 1, "a fraction in [0, 1)"),
        (float) r.number(n + "weight-decay", v -> v >= 0, "a non-negative number"),
        r.number(n + "pixel-fraction", v -> v > 0 && v <= 1, "a fraction in (0, 1]"),
        (float) r.number(n + "max-colour-weight", v -> v >= 0, "a non-negative weight"),
        (float) r.number(n + "balance-weight", v -> v >= 0, "a non-negative weight"),
        (float) r.number(n + "alignment-weight", v -> v >= 0, "a non-negative weight"),
        (float) r.number(n + "task-weight", v -> v >= 0, "a non-negative weight"),
        0));
  }

  /** An indexed image of K colours with one label vector. */
  @Override
  public ItemCost unitCost(MethodSettings settings, ImageShape shape) {
    return ItemCost.kColourImage(shape, ((PaletteSettings) settings).colours(), 1);
  }

  /** Median cut stands in for either quantiser: the estimate needs bytes, not the final colours. */
  @Override
  public byte[] storedForm(MethodSettings settings, PixelImage image) {
    return IndexedPng.encode(PaletteImage.of(MedianCut.quantise(image, ((PaletteSettings) settings).colours())
        .toPixels()));
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
    if (s.quantiser().equals(PaletteSettings.NETWORK)) {
      PaletteTrainer.Options o = s.network();
      ObjectNode n = b.putObject("network");
      n.put("hidden", o.hidden());
      n.put("iterations", o.iterations());
      n.put("batch_size", o.batch());
      n.put("learning_rate", o.learningRate());
      n.put("momentum", o.momentum());
      n.put("weight_decay", o.weightDecay());
      n.put("pixel_fraction", o.pixelFraction());
      n.put("loss_weights", "task " + o.taskWeight() + ", max colour " + o.maxColourWeight() + ", balance "
          + o.balanceWeight() + ", alignment " + o.alignmentWeight());
    }
    b.put("png_bit_depth", IndexedPng.bitDepth(s.colours()));
    b.put("image_format", "indexed png");
    return b;
  }

  @Override
  public String reportSection(JsonNode b) {
    String by = b.has("network") ? "a palette network (per-pixel MLP, " + b.path("network").path("iterations").asInt()
        + " iterations; losses " + b.path("network").path("loss_weights").asText() + ")" : b.path("quantiser").asText();
    return "<p><b>Palette</b>: each image re-coloured with at most " + b.path("colours").asInt() + " colours by "
        + by + " and stored as an indexed PNG at " + b.path("png_bit_depth").asInt()
        + " bits a pixel; soft labels are the observer's on the re-coloured image.</p>";
  }

  static PaletteSettings settings(DistillConfig c) {
    return c.method(NAME, PaletteSettings.class);
  }
}
