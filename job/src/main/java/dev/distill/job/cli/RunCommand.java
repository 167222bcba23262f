package dev.distill.job.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Distill a dataset with the methods in distill.methods (default: rded); an interrupted "
        + "run of the same output resumes from its committed stages.")
final class RunCommand implements Callable<Integer> {
  @Mixin JobOptions options = new JobOptions();

  @Override
  public Integer call() {
    return JobCommand.run(options.conf, options.overrides, false, options.from, options.verbose);
  }
}
