package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.job.config.ConfigLoader;
import dev.distill.job.stage.FaultHook;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume: a run killed after a stage commits (a real process halt, no cleanup) is finished by the
 * next run of the same output, reusing what matches, to the same bytes as an uninterrupted run;
 * a changed setting reruns exactly the stages from the one that reads it.
 */
class ResumeTest extends SharedSpark {
  @TempDir static Path data;

  @BeforeAll
  static void writeData() throws IOException {
    TinyData.folder(data.resolve("train"), 3, 10, 16);
    TinyData.folder(data.resolve("test"), 3, 4, 16);
  }

  private static Map<String, String> tiny(Path out) {
    Map<String, String> o = TinyData.job(data.resolve("train").toString(), out.toString());
    o.put("distill.input.test-path", data.resolve("test").toString());
    o.put("distill.rded.pool-size", "8");
    return o;
  }

  @Test
  void aRunKilledAfterTheObserverResumesInAnotherProcessToTheSameBytes(@TempDir Path tmp) throws Exception {
    Path reference = tmp.resolve("reference");
    Pipeline.run(spark, ConfigLoader.load(null, tiny(reference)), false);

    Path out = tmp.resolve("out");
    Path staging = tmp.resolve(".out.staging");
    Map<String, String> killed = tiny(out);
    killed.put("distill.fault.halt-after", "observe");
    Process first = distill(killed, tmp.resolve("first.log"));
    assertThat(first.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(first.exitValue()).as(Files.readString(tmp.resolve("first.log"))).isEqualTo(137);
    assertThat(out).doesNotExist();
    assertThat(staging.resolve("_stages/ingest.stage.json")).exists();
    assertThat(staging.resolve("_stages/observe.stage.json")).exists();
    assertThat(staging.resolve("_stages/score.stage.json")).doesNotExist();

    Process second = distill(tiny(out), tmp.resolve("second.log"));
    assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String log = Files.readString(tmp.resolve("second.log"));
    assertThat(second.exitValue()).as(log).isZero();
    assertThat(log).contains("stage ingest: reused, same settings", "stage observe: reused, same settings",
        "reused:        ingest, observe");
    assertThat(log).doesNotContain("stage observe: Training observers");
    assertThat(OutputFilesDigest.of(out)).isEqualTo(OutputFilesDigest.of(reference));
    assertThat(staging).doesNotExist();
  }

  @Test
  void aChangedSettingRerunsFromTheStageThatReadsItAndFromRestartsThere(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    Map<String, String> o = tiny(out);
    o.put("distill.fault.fail-after", "write");
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(FaultHook.InjectedFault.class);
    assertThat(tmp.resolve(".out.staging/_stages/write.stage.json")).exists();

    // The same settings, restarting at compose: the stages before it are reused.
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false, "compose"))
        .isInstanceOf(FaultHook.InjectedFault.class);

    // Fewer crops per image: scoring reads that setting, so score and everything after it run again.
    o.remove("distill.fault.fail-after");
    o.put("distill.rded.crops-per-image", "2");
    Pipeline.Outcome outcome = Pipeline.run(spark, ConfigLoader.load(null, o), false);
    assertThat(outcome.manifest().reusedStages()).containsExactly("ingest", "observe");

    Map<String, String> fresh = tiny(tmp.resolve("fresh"));
    fresh.put("distill.rded.crops-per-image", "2");
    Pipeline.run(spark, ConfigLoader.load(null, fresh), false);
    assertThat(OutputFilesDigest.of(out)).isEqualTo(OutputFilesDigest.of(tmp.resolve("fresh")));
  }

  @Test
  void aRestartPointThatIsNotAStageIsRefusedNamingTheStages(@TempDir Path tmp) {
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, tiny(tmp.resolve("out"))), false, "palette"))
        .hasMessageContaining("--from palette: not a stage of this run; its stages are [ingest, observe, score, "
            + "select, compose, label, write]");
  }

  /** {@code distill run} in a JVM of its own, with this JVM's flags and class path. */
  private static Process distill(Map<String, String> overrides, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-D") || a.startsWith("-Xmx")).forEach(cmd::add);
    cmd.add("-Dlog4j2.configurationFile=" + new File("../conf/log4j2.properties").getAbsolutePath());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.distill.job.cli.Main");
    cmd.add("run");
    cmd.add("-Ddistill.spark.master=local[2]");
    cmd.add("-Ddistill.spark.conf.\"spark.ui.enabled\"=false");
    overrides.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
