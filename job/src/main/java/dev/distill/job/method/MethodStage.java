package dev.distill.job.method;

import dev.distill.job.stage.Stage;

/** A method's stage and the phase it belongs to. */
public record MethodStage(Phase phase, Stage<?> stage) {}
