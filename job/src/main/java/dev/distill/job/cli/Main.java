package dev.distill.job.cli;

import dev.distill.job.config.ConfigError;
import dev.distill.job.config.Redaction;
import dev.distill.job.eval.StudentsExported;
import dev.distill.job.output.OutputError;
import dev.distill.job.read.InputError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code distill}: the command-line entry point, also the main class for spark-submit. */
@Command(name = "distill", mixinStandardHelpOptions = true,
    description = "Distills a labelled image dataset into a tiny one (images + soft labels) on Spark.",
    subcommands = {RunCommand.class, DemoCommand.class, TrainObserverCommand.class, EvaluateCommand.class,
        ExportCommand.class})
public final class Main implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable root = e;
      while (root.getCause() != null && !oneLine(root)) {
        root = root.getCause();
      }
      if (root instanceof StudentsExported) {
        cmd.getErr().println("distill: " + Redaction.uris(root.getMessage()));
        return 3;
      }
      if (oneLine(root)) {
        cmd.getErr().println("distill: " + Redaction.uris(root.getMessage()));
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }

  /** Errors whose message says all the user needs: printed as one line, exit status 2. */
  private static boolean oneLine(Throwable e) {
    return e instanceof ConfigError || e instanceof InputError || e instanceof OutputError;
  }
}
