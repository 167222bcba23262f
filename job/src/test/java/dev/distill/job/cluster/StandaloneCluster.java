package dev.distill.job.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster of separate JVMs on this machine, with no Spark download: a
 * {@code SPARK_HOME} whose {@code jars/} links what a Spark distribution ships (Spark, Hadoop,
 * hadoop-aws and their dependencies, taken from the Maven classpath without DJL or the job's own
 * code, which must come from the submitted jar), Spark's launcher scripts ({@code bin/spark-class},
 * {@code bin/spark-submit}), one master and {@code workers} workers of one core each. Closing it
 * kills the daemons and the executors they started.
 */
final class StandaloneCluster implements AutoCloseable {
  /**
   * Jars a Spark distribution does not ship: they must travel inside the job's jar. (The job's own
   * module appears as udf/target/distill-udf-*.jar in a reactor build, under dev/distill/ otherwise.)
   */
  private static final List<String> NOT_IN_SPARK = List.of(
      "/ai/djl/", "/distill-udf", "/net/java/dev/jna/", "/com/typesafe/config/", "/info/picocli/");

  private final Path home;
  private final Path logs;
  private final List<Process> daemons = new ArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();
  private final String masterUrl;

  StandaloneCluster(Path dir, Path classpathFile, int workers) throws IOException, InterruptedException {
    home = dir.resolve("spark-home");
    logs = Files.createDirectories(dir.resolve("logs"));
    linkJars(classpathFile);
    for (String script : List.of("spark-class", "spark-submit")) {
      Path to = Files.createDirectories(home.resolve("bin")).resolve(script);
      try (InputStream in = StandaloneCluster.class.getResourceAsStream("/spark-home/bin/" + script)) {
        Files.copy(in, to);
      }
      to.toFile().setExecutable(true);
    }
    int port = freePort();
    int ui = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    daemons.add(start("master", List.of(sparkClass(), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(ui)), Map.of()));
    for (int i = 0; i < workers; i++) {
      Path work = Files.createDirectories(dir.resolve("work-" + i));
      workDirs.add(work);
      daemons.add(start("worker-" + i, List.of(sparkClass(), "org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--cores", "1", "--memory", "3g", "--work-dir", work.toString(),
          "--webui-port", String.valueOf(freePort()), masterUrl), Map.of()));
    }
    awaitWorkers(ui, workers);
  }

  String masterUrl() {
    return masterUrl;
  }

  Path home() {
    return home;
  }

  /** Every executor's stderr so far (work-N/app-ID/EXECUTOR/stderr). */
  List<Path> executorLogs() throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path work : workDirs) {
      try (Stream<Path> walk = Files.walk(work, 3)) {
        walk.filter(p -> p.getFileName().toString().equals("stderr")).sorted().forEach(found::add);
      }
    }
    return found;
  }

  List<Path> workDirs() {
    return workDirs;
  }

  /** Starts {@code command} with this cluster's environment; output goes to logs/NAME.log. */
  Process start(String name, List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    Map<String, String> e = pb.environment();
    e.put("SPARK_HOME", home.toString());
    e.put("SPARK_SCALA_VERSION", "2.12");
    e.put("SPARK_LOCAL_IP", "127.0.0.1");
    e.put("JAVA_HOME", System.getProperty("java.home"));
    e.put("PATH", home.resolve("bin") + ":" + System.getenv("PATH"));
    e.putAll(env);
    return pb.start();
  }

  /** The last lines of logs/NAME.log without stack frames, for failure messages. */
  String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(logs.resolve(name + ".log")).stream()
          .filter(l -> !l.startsWith("\tat ")).toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    for (Process p : daemons) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private String sparkClass() {
    return home.resolve("bin/spark-class").toString();
  }

  private void linkJars(Path classpathFile) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String entry : Files.readString(classpathFile).trim().split(":")) {
      if (NOT_IN_SPARK.stream().noneMatch(entry::contains) && entry.endsWith(".jar")) {
        Path jar = Path.of(entry);
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
      }
    }
  }

  private void awaitWorkers(int uiPort, int workers) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest state = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = http.send(state, HttpResponse.BodyHandlers.ofString()).body();
        if (last.replace(" ", "").contains("\"aliveworkers\":" + workers)) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the standalone cluster did not get " + workers + " workers in 90 s: "
        + last + "\nmaster:\n" + tail("master") + "\nworker-0:\n" + tail("worker-0"));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
