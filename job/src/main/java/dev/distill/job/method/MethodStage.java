package dev.distill.job.method;

import dev.distill.job.stage.Stage;

/**
 * A method's stage, the phase it belongs to, and the table it leaves the distilled images in
 * (null when it makes none: scoring, ranking).
 */
public record MethodStage(Phase phase, Stage<?> stage, String images) {

  /** A stage that makes no images. */
  public MethodStage(Phase phase, Stage<?> stage) {
    this(phase, stage, null);
  }
}
