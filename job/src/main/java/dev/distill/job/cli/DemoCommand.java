package dev.distill.job.cli;

import com.typesafe.config.ConfigUtil;
import dev.distill.job.config.ConfigError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The demo needs no download: a small Fashion-MNIST sample ships inside the jar and is unpacked
 * beside the output, then distilled with conf/demo.conf.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Train a small observer and distill the bundled Fashion-MNIST sample at IPC 10.")
final class DemoCommand implements Callable<Integer> {
  static final String SAMPLE = "/demo/fashion-mnist/";
  static final String[] FILES = {
    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"
  };

  @Parameters(index = "0", arity = "0..1", paramLabel = "OUTPUT_DIR", defaultValue = "out/demo",
      description = "where the distilled dataset goes (default: ${DEFAULT-VALUE})")
  Path output;

  @Mixin JobOptions options = new JobOptions();

  @Override
  public Integer call() throws IOException {
    Path data;
    try {
      data = unpackSample(output.toAbsolutePath().resolveSibling(output.getFileName() + ".input"));
    } catch (IOException e) {
      throw new ConfigError("the demo's output " + output + ": cannot unpack its input sample beside it: " + e);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("distill.input.path", ConfigUtil.quoteString(data.resolve(FILES[0]).toString()));
    overrides.put("distill.input.test-path", ConfigUtil.quoteString(data.resolve(FILES[2]).toString()));
    overrides.put("distill.output.path", ConfigUtil.quoteString(output.toAbsolutePath().toString()));
    overrides.putAll(options.overrides);
    return JobCommand.run(options.conf, overrides, false, options.from, options.verbose);
  }

  static Path unpackSample(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name : FILES) {
      try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE + name)) {
        if (in == null) {
          throw new IOException("the demo sample " + SAMPLE + name + " is missing from the jar");
        }
        Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }
}
