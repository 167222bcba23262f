package dev.distill.job.eval;

/**
 * The evaluation stopped after writing its unfinished students for training elsewhere
 * (distill.evaluate.export-path): not a failure, and not finished either.
 */
public final class StudentsExported extends RuntimeException {
  StudentsExported(String message) {
    super(message);
  }
}
