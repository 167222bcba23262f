package dev.distill.job.common;

import java.util.Map;

/**
 * What the fit stage kept: images per class (by label) and the bytes they take as written, plus
 * their label payload, against each class's share of the budget.
 */
public record FitSummary(Map<Integer, Integer> keptPerClass, long fileBytes, long labelBytes, long sharePerClass) {
  public int maxPerClass() {
    return keptPerClass.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }
}
