package dev.distill.job.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.distill.job.read.ClassMapping;
import dev.distill.udf.image.Normalization;
import java.util.Map;

/**
 * What ingest found, beside its tables ({@code train}, {@code test}, {@code rejects}): the classes,
 * clean training images per class (the validation slice excluded), record and reject counts, the
 * validation slice's size, and the training pixels' per-channel
 * statistics (the observers' default normalisation).
 */
public record IngestSummary(
    @JsonProperty("classes") ClassMapping classes,
    @JsonProperty("train_per_class") Map<Integer, Long> trainPerClass,
    @JsonProperty("records") long records,
    @JsonProperty("rejected") long rejected,
    @JsonProperty("test_images") long testImages,
    @JsonProperty("has_test") boolean hasTest,
    @JsonProperty("validation_images") long validationImages,
    @JsonProperty("normalization") Normalization datasetNormalization) {

  public long trainImages() {
    return trainPerClass.values().stream().mapToLong(Long::longValue).sum();
  }
}
