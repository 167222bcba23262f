package dev.distill.job.method.rded;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.distill.job.config.MethodSettings;

/** {@code distill.rded.*}, validated (see reference.conf for each key). */
public record RdedSettings(
    @JsonProperty("factor") int factor,
    @JsonProperty("crops_per_image") int cropsPerImage,
    @JsonProperty("pool_size") int poolSize,
    @JsonProperty("min_scale") double minScale,
    @JsonProperty("max_scale") double maxScale,
    @JsonProperty("short_class") String shortClass,
    @JsonProperty("label_granularity") String labelGranularity) implements MethodSettings {

  public int patchesPerImage() {
    return factor * factor;
  }

  public boolean patchLabels() {
    return labelGranularity.equals("patch");
  }
}
