package dev.distill.job.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "train-observer", mixinStandardHelpOptions = true,
    description = "Train the observers in distill.observer.architectures (one Spark task each) and "
        + "save them under <output>/observers/ with their metadata and test accuracy.")
final class TrainObserverCommand implements Callable<Integer> {
  @Mixin JobOptions options = new JobOptions();

  @Override
  public Integer call() {
    return JobCommand.run(options.conf, options.overrides, true, options.from, options.verbose);
  }
}
