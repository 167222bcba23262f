package dev.distill.job.method.palette;

import dev.distill.job.config.MethodSettings;

/**
 * {@code distill.palette}: re-colour every distilled image with at most {@code colours} colours,
 * chosen per image by {@code quantiser}, and store it as an indexed PNG.
 */
public record PaletteSettings(int colours, String quantiser) implements MethodSettings {
  public static final String MEDIAN_CUT = "median-cut";
}
