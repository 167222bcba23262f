package dev.distill.udf.train;

import java.util.Locale;

/** Where a student's training targets come from. */
public enum LabelMode {
  /** The stored soft labels (observer logits), mixed by CutMix: what a downstream user has. */
  STATIC,
  /** The observer relabels every augmented, mixed batch (RDED's evaluation protocol). */
  TEACHER,
  /** One-hot class labels, mixed by CutMix. */
  HARD;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LabelMode of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
