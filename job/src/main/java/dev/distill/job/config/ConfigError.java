package dev.distill.job.config;

import java.util.List;

/** The configuration is wrong; every problem found is listed, each naming its key. */
public final class ConfigError extends RuntimeException {
  private final List<String> problems;

  public ConfigError(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigError(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
