package dev.distill.udf.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distill.udf.image.Normalization;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * What a saved observer is, written beside its weights as {@code observer.json}: without the input
 * shape, normalisation and class order, a checkpoint silently mislabels (RDED issues #3, #4, #10).
 *
 * @param format {@code djl} (weights for {@link Architecture}) or {@code torchscript}
 * @param testAccuracy top-1 on the held-out split, null when none was given
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ObserverMetadata(
    @JsonProperty("format") String format,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("channels") int channels,
    @JsonProperty("height") int height,
    @JsonProperty("width") int width,
    @JsonProperty("mean") float[] mean,
    @JsonProperty("std") float[] std,
    @JsonProperty("class_names") List<String> classNames,
    @JsonProperty("test_accuracy") Double testAccuracy,
    @JsonProperty("train_images") long trainImages,
    @JsonProperty("epochs") int epochs,
    @JsonProperty("seed") long seed) implements Serializable {

  public static final String FILE = "observer.json";
  public static final String FORMAT_DJL = "djl";
  public static final String FORMAT_TORCHSCRIPT = "torchscript";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public int classes() {
    return classNames.size();
  }

  public Normalization normalization() {
    return new Normalization(mean, std);
  }

  public ObserverMetadata withTestAccuracy(Double accuracy) {
    return new ObserverMetadata(format, architecture, channels, height, width, mean, std,
        classNames, accuracy, trainImages, epochs, seed);
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise observer metadata", e);
    }
  }

  public static ObserverMetadata fromJson(byte[] json, String source) {
    ObserverMetadata m;
    try {
      m = JSON.readValue(json, ObserverMetadata.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid observer metadata: " + e.getMessage(), e);
    }
    if (!FORMAT_DJL.equals(m.format) && !FORMAT_TORCHSCRIPT.equals(m.format)) {
      throw new IllegalArgumentException(source + ": format must be '" + FORMAT_DJL + "' or '"
          + FORMAT_TORCHSCRIPT + "', got '" + m.format + "'");
    }
    if (FORMAT_DJL.equals(m.format) && (m.architecture == null || !Architecture.isKnown(m.architecture))) {
      throw new IllegalArgumentException(source + ": architecture must be one of "
          + Architecture.ALLOWED + ", got '" + m.architecture + "'");
    }
    if (m.classNames == null || m.classNames.size() < 2) {
      throw new IllegalArgumentException(source + ": class_names must list at least 2 classes");
    }
    if (m.mean == null || m.std == null || m.mean.length != m.channels || m.std.length != m.channels) {
      throw new IllegalArgumentException(source + ": mean and std need one entry per channel ("
          + m.channels + ")");
    }
    return m;
  }
}
