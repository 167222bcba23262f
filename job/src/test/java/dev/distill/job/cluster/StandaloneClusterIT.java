package dev.distill.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distill.job.OutputFilesDigest;
import dev.distill.udf.ml.TaskFault;
import dev.distill.udf.model.ObserverCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo distilled on a real Spark standalone cluster — a master, two workers and their executors,
 * each its own JVM — submitted as a user would: {@code deploy/spark-submit.sh} with the shaded
 * cluster jar, through Spark's own launcher. This is what local mode cannot show: the jar carries
 * everything Spark does not (DJL, libtorch, relocated Gson/Config/picocli), executors unpack
 * libtorch from it offline into their own DJL cache, closures serialise across JVMs, and each
 * executor loads the observer once. Mid-way through scoring one executor is killed (SIGKILL, as an
 * OOM killer or a lost node would): Spark retries its task elsewhere and the output is byte for byte
 * the output of the same jar in local mode.
 */
class StandaloneClusterIT {
  private static final Path REPO = Path.of(System.getProperty("distill.repo", "..")).toAbsolutePath().normalize();
  private static final Pattern STALLED = Pattern.compile(Pattern.quote(TaskFault.STALLED) + "(\\d+)");
  private static final Pattern LOADED = Pattern.compile(Pattern.quote(ObserverCache.LOADED) + "(\\S+)");
  private static final long RUN_MINUTES = 10;

  @Test
  void theDemoOnAStandaloneClusterSurvivesAKilledExecutorAndMatchesLocalMode(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp)
      throws Exception {
    Path jar = Path.of(System.getProperty("distill.cluster.jar"));
    assertThat(jar).as("the cluster jar (mvn package builds it)").isRegularFile();
    try (StandaloneCluster cluster =
        new StandaloneCluster(tmp, Path.of(System.getProperty("distill.classpath.file")), 2)) {
      // Both runs write to the same path (the input sample is unpacked beside it, and paths are
      // part of the config the output records); the local output is moved aside first.
      Path out = tmp.resolve("out");
      Process reference = submit(cluster, jar, "local", "local[2]", out);
      assertThat(reference.waitFor(RUN_MINUTES, TimeUnit.MINUTES) && reference.exitValue() == 0)
          .as("the demo in local mode:\n%s", cluster.tail("local")).isTrue();
      Path local = Files.move(out, tmp.resolve("local"));

      Process driver = submit(cluster, jar, "cluster", cluster.masterUrl(), out,
          "-Ddistill.fault.stall-task-once=score");
      Set<Long> killed = killStalledExecutors(cluster, driver);
      assertThat(driver.exitValue()).as("the demo on the cluster:\n%s", cluster.tail("cluster")).isZero();
      assertThat(killed).as("executors killed mid-stage").isNotEmpty();

      assertThat(OutputFilesDigest.of(out)).as("cluster output = local output").isEqualTo(OutputFilesDigest.of(local));
      assertObserverLoadedOncePerExecutor(cluster);
      assertThat(unpackedLibtorch(cluster)).as("libtorch unpacked from the jar into executors' DJL caches")
          .isNotEmpty();
    }
  }

  /** deploy/spark-submit.sh as the README gives it, one-core executors, a fresh driver DJL cache. */
  private static Process submit(StandaloneCluster cluster, Path jar, String name, String master, Path out,
      String... overrides) throws IOException {
    List<String> command = new ArrayList<>(List.of(REPO.resolve("deploy/spark-submit.sh").toString(),
        "--master", master, "--conf", "spark.executor.memory=2g", "--",
        "demo", out.toString(), "--conf", REPO.resolve("conf/demo.conf").toString(),
        "-Ddistill.observer.epochs=1"));
    command.addAll(List.of(overrides));
    return cluster.start(name, command, Map.of("DISTILL_JAR", jar.toString(), "DISTILL_EXECUTOR_CORES", "1",
        "DJL_CACHE_DIR", out.resolveSibling(name + "-driver-djl").toString()));
  }

  /** Kills (SIGKILL) every executor whose task says it stalled, until the driver exits. */
  private static Set<Long> killStalledExecutors(StandaloneCluster cluster, Process driver)
      throws IOException, InterruptedException {
    Set<Long> killed = new TreeSet<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(RUN_MINUTES);
    while (!driver.waitFor(1, TimeUnit.SECONDS)) {
      assertThat(System.nanoTime()).as("the cluster run finished in %d min:\n%s", RUN_MINUTES,
          cluster.tail("cluster")).isLessThan(deadline);
      for (Path log : cluster.executorLogs()) {
        Matcher m = STALLED.matcher(Files.readString(log));
        while (m.find()) {
          long pid = Long.parseLong(m.group(1));
          if (killed.add(pid)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
    }
    return killed;
  }

  /** Model-once-per-executor: no executor loaded the same observer twice, and some loaded one. */
  private static void assertObserverLoadedOncePerExecutor(StandaloneCluster cluster) throws IOException {
    int loads = 0;
    for (Path log : cluster.executorLogs()) {
      Map<String, Integer> perLocation = new HashMap<>();
      Matcher m = LOADED.matcher(Files.readString(log));
      while (m.find()) {
        perLocation.merge(m.group(1), 1, Integer::sum);
        loads++;
      }
      assertThat(perLocation.values()).as("observer loads in %s", log).allMatch(n -> n == 1);
    }
    assertThat(loads).as("observer loads on executors").isPositive();
  }

  private static List<Path> unpackedLibtorch(StandaloneCluster cluster) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path work : cluster.workDirs()) {
      try (Stream<Path> walk = Files.walk(work)) {
        walk.filter(p -> p.getFileName().toString().startsWith("libtorch_cpu.so")).forEach(found::add);
      }
    }
    return found;
  }
}
