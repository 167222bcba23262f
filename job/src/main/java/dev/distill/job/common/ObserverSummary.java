package dev.distill.job.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.distill.udf.model.ObserverMetadata;
import java.util.List;
import java.util.Map;

/**
 * The observers of a run: where the scoring one lives (the first architecture, or the given path),
 * what it is, every observer this run trained (empty when given) with its validation accuracy after
 * each epoch (when there is a validation slice) and its training time, and where every teacher of
 * an ensemble is ({@code trained_locations}: trained by this run or given as a directory of
 * observers; empty for one given observer).
 */
public record ObserverSummary(
    @JsonProperty("location") String location,
    @JsonProperty("primary") ObserverMetadata primary,
    @JsonProperty("trained") List<ObserverMetadata> trained,
    @JsonProperty("trained_locations") List<String> trainedLocations,
    @JsonProperty("validation_curves") Map<String, List<Double>> validationCurves,
    @JsonProperty("train_seconds") Map<String, Double> trainSeconds) {

  /** The teachers that label: the scoring observer, or with {@code all} every one of the ensemble. */
  public List<String> teachers(boolean all) {
    return all && !trainedLocations.isEmpty() ? trainedLocations : List.of(location);
  }
}
