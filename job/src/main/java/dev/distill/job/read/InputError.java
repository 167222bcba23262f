package dev.distill.job.read;

/** The input cannot be read at all (missing file, wrong magic number, empty class folder). */
public final class InputError extends RuntimeException {
  public InputError(String message) {
    super(message);
  }

  public InputError(String message, Throwable cause) {
    super(message, cause);
  }
}
