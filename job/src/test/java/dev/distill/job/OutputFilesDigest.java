package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file of an output by relative path: its SHA-256, or for the manifest its content without
 * what describes the run rather than the data ({@code timings_ms}, {@code reused_stages}). The
 * report shows run times and is left out.
 */
public final class OutputFilesDigest {
  private OutputFilesDigest() {}

  public static Map<String, String> of(Path out) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = out.relativize(p).toString();
        assertThat(rel).doesNotEndWith(".crc");
        if (rel.equals("report.html")) {
          continue;
        }
        if (rel.equals("manifest.json")) {
          ObjectNode m = (ObjectNode) new ObjectMapper().readTree(p.toFile());
          m.remove("timings_ms");
          m.remove("reused_stages");
          files.put(rel, m.toString());
        } else {
          files.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return files;
  }
}
