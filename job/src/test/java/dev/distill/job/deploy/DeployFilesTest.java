package dev.distill.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.distill.job.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files under {@code deploy/} are what users copy: they must name the real main class, the jar
 * the build produces, and only keys {@code reference.conf} knows; the Airflow DAG must compile.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Pattern KEY = Pattern.compile("-D(distill\\.[a-zA-Z0-9.\\-]+)=");
  private static final Pattern JAR = Pattern.compile("distill-job-([0-9A-Za-z.\\-]+?)-cluster\\.jar");

  @Test
  void everySubmissionNamesTheMainClassTheBuiltJarAndKnownKeys() throws IOException {
    Config reference = ConfigFactory.defaultReference();
    java.util.Properties built = new java.util.Properties();
    try (var in = Main.class.getResourceAsStream("/dev/distill/job/version.properties")) {
      built.load(in);
    }
    String version = built.getProperty("version");
    List<Path> files;
    try (Stream<Path> all = Files.walk(DEPLOY)) {
      files = all.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("distill_dag.py", "steps.json", "submit.sh", "spark-submit.sh");
    List<String> keys = new ArrayList<>();
    for (Path f : files) {
      String text = Files.readString(f);
      if (text.contains("--class") || text.contains("java_class")) {
        assertThat(text).as(f.toString()).contains(Main.class.getName());
      }
      Matcher jar = JAR.matcher(text);
      while (jar.find()) {
        assertThat(jar.group(1)).as("the cluster jar %s names in %s", jar.group(), f).isEqualTo(version);
      }
      Matcher key = KEY.matcher(text);
      while (key.find()) {
        keys.add(key.group(1));
        assertThat(reference.hasPathOrNull(key.group(1))).as("%s in %s is a key reference.conf knows", key.group(1), f)
            .isTrue();
      }
    }
    assertThat(keys).contains("distill.output.path");
    JsonNode steps = new ObjectMapper().readTree(DEPLOY.resolve("emr/steps.json").toFile());
    assertThat(steps.get(0).get("Args").toString()).contains("\"--class\",\"" + Main.class.getName() + "\"");
  }

  @Test
  void theAirflowDagCompiles() throws Exception {
    Process p;
    try {
      // compile() checks syntax without writing __pycache__ into the repository (Airflow is not installed here).
      p = new ProcessBuilder("python3", "-c", "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')",
          DEPLOY.resolve("airflow/distill_dag.py").toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeThat(false).as("python3 is not installed").isTrue();
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }
}
