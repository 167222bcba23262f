package dev.distill.job.method.palette;

import dev.distill.job.config.MethodSettings;
import dev.distill.udf.palette.PaletteTrainer;

/**
 * {@code distill.palette}: re-colour every distilled image with at most {@code colours} colours,
 * chosen per image by {@code quantiser} (median cut, or the trained palette network with
 * {@code network}'s hyper-parameters), and store it as an indexed PNG.
 */
public record PaletteSettings(int colours, String quantiser, PaletteTrainer.Options network) implements MethodSettings {
  public static final String MEDIAN_CUT = "median-cut";
  public static final String NETWORK = "network";
}
