package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job's packages form no cycle, and the low ones stay low: the stage contract and the config
 * know no method, and methods reach the pipeline only through the registry.
 */
class PackageDependenciesTest {
  private static final Pattern REFERENCE = Pattern.compile("dev\\.distill\\.job\\.([a-z][a-z.]*?)\\.[A-Z]");

  /** package → the job packages its sources name (imports and qualified names). */
  private static Map<String, Set<String>> graph() throws IOException {
    Path root = Path.of("src/main/java/dev/distill/job");
    Map<String, Set<String>> g = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
        Set<String> deps = g.computeIfAbsent(pkg.isEmpty() ? "job" : pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            deps.add(m.group(1));
          }
        }
      }
    }
    return g;
  }

  @Test
  void noPackageDependsOnItselfThroughOthers() throws IOException {
    Map<String, Set<String>> g = graph();
    List<String> cycles = new ArrayList<>();
    for (String start : g.keySet()) {
      walk(g, start, new ArrayList<>(List.of(start)), cycles);
    }
    assertThat(cycles).isEmpty();
  }

  @Test
  void theContractAndTheConfigKnowNoMethod() throws IOException {
    Map<String, Set<String>> g = graph();
    assertThat(g.get("stage")).doesNotContain("common", "method", "method.rded", "output", "eval", "job");
    assertThat(g.get("config")).isEmpty();
    assertThat(g.get("common")).doesNotContain("method", "method.rded");
    assertThat(g.get("method")).doesNotContain("method.rded");
    g.forEach((pkg, deps) -> {
      if (!pkg.equals("method.rded")) {
        assertThat(deps).as(pkg).doesNotContain("method.rded");
      }
    });
  }

  private static void walk(Map<String, Set<String>> g, String node, List<String> path, List<String> cycles) {
    for (String next : g.getOrDefault(node, Set.of())) {
      if (next.equals(path.get(0))) {
        cycles.add(String.join(" -> ", path) + " -> " + next);
      } else if (!path.contains(next) && next.compareTo(path.get(0)) > 0) {
        path.add(next);
        walk(g, next, path, cycles);
        path.remove(path.size() - 1);
      }
    }
  }
}
