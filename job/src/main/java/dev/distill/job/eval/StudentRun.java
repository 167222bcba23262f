package dev.distill.job.eval;

import java.io.Serializable;
import java.util.List;

/**
 * One student training: which training set ({@code rded}, {@code random}, {@code full}), which
 * student, which targets and seed, and what it scored on the test split after each evaluated epoch.
 */
public record StudentRun(String dataset, String student, String labels, long seed, int trainImages,
    List<Integer> epochs, List<Double> accuracies, long millis) implements Serializable {

  public double best() {
    return accuracies.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  public double last() {
    return accuracies.get(accuracies.size() - 1);
  }
}
