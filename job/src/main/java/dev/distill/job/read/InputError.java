package dev.distill.job.read;

/** The input cannot be read at all (missing file, wrong magic number, empty class folder). */
public final class InputError extends RuntimeException {
  public InputError(String message) {
    super(message);
  }

  public InputError(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The innermost cause's message: Spark wraps a reader's one-line reason in several layers whose
   * messages carry whole stack traces.
   */
  public static String rootReason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
