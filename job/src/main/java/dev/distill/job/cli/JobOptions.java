package dev.distill.job.cli;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every job command takes: a config file and key overrides. */
final class JobOptions {
  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON config file (see conf/)")
  File conf;

  @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "override one key, e.g. -Ddistill.ipc=50")
  Map<String, String> overrides = new LinkedHashMap<>();
}
