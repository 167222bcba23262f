package dev.distill.job.config;

/**
 * The configuration side of a distillation method: its name in {@code distill.methods}, and the
 * parser of its own section {@code distill.<name>}. Implementations are found with
 * {@link java.util.ServiceLoader} (one line in {@code META-INF/services/dev.distill.job.config.MethodSection}),
 * so this package never depends on the methods; the method package's {@code Method} adds the
 * pipeline side.
 */
public interface MethodSection {
  /** The name users list in {@code distill.methods}; also its config section and manifest block. */
  String name();

  /**
   * Reads {@code distill.<name>.*} with {@code reader}, reporting every problem to it rather than
   * throwing, so that all of a config's problems are listed at once.
   */
  MethodSettings parse(ConfigReader reader, String prefix, DistillConfig.Input input);
}
