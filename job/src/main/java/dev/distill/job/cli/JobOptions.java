package dev.distill.job.cli;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every job command takes: a config file, key overrides, and a restart point. */
final class JobOptions {
  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON config file (see conf/)")
  File conf;

  @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "override one key, e.g. -Ddistill.ipc=50")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--from", paramLabel = "STAGE",
      description = "rerun from this stage even if an interrupted run committed it; later stages rerun too "
          + "(the stages depend on distill.methods; an unknown name lists this run's)")
  String from;

  @Option(names = "--verbose", description = "also log the full effective configuration and debug detail")
  boolean verbose;
}
