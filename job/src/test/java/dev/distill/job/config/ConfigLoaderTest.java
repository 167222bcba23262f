package dev.distill.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.job.method.rded.RdedSettings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static Map<String, String> base() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("distill.input.path", "/data/train");
    return o;
  }

  @Test
  void defaultsAndOverridesAreTyped() {
    Map<String, String> o = base();
    o.put("distill.ipc", "50");
    o.put("distill.observer.architectures", "[convnet4, resnet18]");
    DistillConfig c = ConfigLoader.load(null, o);
    assertThat(c.ipc()).isEqualTo(50);
    assertThat(c.observer().architectures()).containsExactly("convnet4", "resnet18");
    assertThat(c.method("rded", RdedSettings.class).factor()).isEqualTo(1); // auto: 28 px is low resolution
    assertThat(c.methodNames()).containsExactly("rded");
    assertThat(c.input().format()).isEqualTo("folder");
  }

  @Test
  void overridesBeatTheFileWhichBeatsDefaults(@TempDir Path dir) throws Exception {
    File f = dir.resolve("job.conf").toFile();
    Files.writeString(f.toPath(), "distill { ipc = 7, seed = 3, input.path = /x }");
    Map<String, String> o = new LinkedHashMap<>();
    o.put("distill.seed", "9");
    DistillConfig c = ConfigLoader.load(f, o);
    assertThat(c.ipc()).isEqualTo(7);
    assertThat(c.seed()).isEqualTo(9);
  }

  @Test
  void unknownKeysAreErrorsThatListTheKnownOnes() {
    Map<String, String> o = base();
    o.put("distill.rded.crops-per-imag", "5");
    assertThatThrownBy(() -> ConfigLoader.load(null, o))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("distill.rded.crops-per-imag is not a known key")
        .hasMessageContaining("crops-per-image");
  }

  @Test
  void anUnknownKeyDoesNotHideAnInvalidValue() {
    Map<String, String> o = base();
    o.put("distill.rded.crops-per-imag", "5");
    o.put("distill.ipc", "0");
    assertThatThrownBy(() -> ConfigLoader.load(null, o)).isInstanceOf(ConfigError.class)
        .satisfies(e -> assertThat(((ConfigError) e).problems()).hasSize(2))
        .hasMessageContaining("distill.rded.crops-per-imag is not a known key")
        .hasMessageContaining("distill.ipc");
  }

  @Test
  void everyInvalidValueIsReportedWithKeyValueAndWhatIsAllowed() {
    Map<String, String> o = base();
    o.put("distill.ipc", "0");
    o.put("distill.input.format", "tfrecord");
    o.put("distill.inference.device", "tpu");
    o.put("distill.observer.architectures", "[vgg16]");
    assertThatThrownBy(() -> ConfigLoader.load(null, o))
        .isInstanceOf(ConfigError.class)
        .satisfies(e -> assertThat(((ConfigError) e).problems()).hasSize(4))
        .hasMessageContaining("distill.ipc = 0: expected a whole number from 1")
        .hasMessageContaining("distill.input.format = \"tfrecord\": expected one of folder | idx | cifar | parquet")
        .hasMessageContaining("distill.inference.device = \"tpu\"")
        .hasMessageContaining("'vgg16' is not one of convnet3");
  }

  @Test
  void missingInputUnknownMethodsAndABadBudgetAreListedTogether() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("distill.methods", "[rded, palette9]");
    o.put("distill.budget.bytes", "0");
    o.put("distill.budget.accounting", "bits");
    o.put("distill.rded.min-scale", "0.9");
    o.put("distill.rded.max-scale", "0.5");
    assertThatThrownBy(() -> ConfigLoader.load(null, o))
        .hasMessageContaining("distill.input.path is required")
        .hasMessageContaining("distill.methods = [\"rded\",\"palette9\"]: 'palette9' is not a known method; known: [")
        .hasMessageMatching("(?s).*known: \\[.*rded.*\\].*")
        .hasMessageContaining("distill.budget.bytes = 0: expected a whole number of at least 1")
        .hasMessageContaining("distill.budget.accounting = \"bits\": expected one of strict | paper")
        .hasMessageContaining("distill.rded.min-scale = 0.9: must not exceed distill.rded.max-scale (0.5)");
  }

  @Test
  void hashFollowsWhatIsComputedNotWhereItIsWritten() {
    Map<String, String> a = base();
    Map<String, String> b = base();
    b.put("distill.output.path", "/elsewhere");
    b.put("distill.spark.master", "local[1]");
    Map<String, String> c = base();
    c.put("distill.seed", "1");
    assertThat(ConfigLoader.load(null, a).sha256()).isEqualTo(ConfigLoader.load(null, b).sha256());
    assertThat(ConfigLoader.load(null, a).sha256()).isNotEqualTo(ConfigLoader.load(null, c).sha256());
  }

  @Test
  void secretsAreRedactedFromTheLoggedConfig() {
    Map<String, String> o = base();
    o.put("distill.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"", "hunter2");
    DistillConfig c = ConfigLoader.load(null, o);
    assertThat(c.spark().conf()).containsEntry("spark.hadoop.fs.s3a.secret.key", "hunter2");
    assertThat(c.redactedRendering()).doesNotContain("hunter2").contains("<redacted>");
  }

  @Test
  void sparkConfKeysAreReadQuotedOrNested(@TempDir Path dir) throws Exception {
    File f = dir.resolve("job.conf").toFile();
    Files.writeString(f.toPath(), "distill { input.path = /x, spark.conf {"
        + " \"spark.executor.memory\" = 4g, spark.sql.shuffle { partitions = 8 } } }");
    DistillConfig c = ConfigLoader.load(f, Map.of());
    assertThat(c.spark().conf())
        .containsEntry("spark.executor.memory", "4g")
        .containsEntry("spark.sql.shuffle.partitions", "8");
  }

  @Test
  void anUnknownKeyWithADotIsNamedAsItMustBeWritten() {
    Map<String, String> o = base();
    o.put("distill.rded.\"crops.per-image\"", "5");
    assertThatThrownBy(() -> ConfigLoader.load(null, o))
        .hasMessageContaining("distill.rded.\"crops.per-image\" is not a known key");
  }

  @Test
  void aMissingConfigFileIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(new File("/no/such.conf"), base()))
        .hasMessageContaining("--conf /no/such.conf: no such file");
  }
}
