package dev.distill.job.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The resume ledger: one {@link StageRecord} per committed stage under {@code _stages/} of the
 * staging directory. It decides whether a stage can be reused — same settings, every stage it reads
 * reused too, every file it wrote still there with the same length — and says why not.
 */
public final class StageLedger {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** Reuse, or the reason to run. */
  public record Verdict(boolean reuse, String reason, StageRecord record) {}

  private final FileSystem fs;
  private final Path staging;

  public StageLedger(FileSystem fs, Path staging) {
    this.fs = fs;
    this.staging = staging;
  }

  public static JsonNode settingsJson(Object settings) {
    return JSON.valueToTree(settings);
  }

  public static String sha256(JsonNode settings) {
    try {
      byte[] canonical = JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(settings);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash stage settings", e);
    }
  }

  public Verdict check(Stage<?> stage, JsonNode settings, List<String> notReused) {
    StageRecord r = read(stage.name());
    if (r == null) {
      return new Verdict(false, "no committed record", null);
    }
    List<String> upstream = stage.reads().stream().filter(notReused::contains).toList();
    if (!upstream.isEmpty()) {
      return new Verdict(false, "it reads " + String.join(", ", upstream) + ", which ran again", r);
    }
    if (!r.settingsSha256().equals(sha256(settings))) {
      return new Verdict(false, "settings changed: " + difference(r.settings(), settings), r);
    }
    Map<String, Long> now = outputs(stage);
    if (!now.equals(r.outputs())) {
      return new Verdict(false, "its files differ from the record (" + r.outputs().size() + " recorded, "
          + now.size() + " found" + firstDifference(r.outputs(), now) + ")", r);
    }
    return new Verdict(true, "same settings (sha256 " + r.settingsSha256().substring(0, 12) + "), "
        + r.outputs().size() + " files as recorded, committed in " + r.millis() + " ms", r);
  }

  public <S> S summary(StageRecord r, Class<S> type) {
    if (type == Void.class || r.summary() == null || r.summary().isNull()) {
      return null;
    }
    try {
      return JSON.treeToValue(r.summary(), type);
    } catch (IOException e) {
      throw new IllegalStateException("the record of stage " + r.stage() + " has an unreadable summary", e);
    }
  }

  /** Writes the record last, through a rename, so a half-written record never exists. */
  public void commit(Stage<?> stage, JsonNode settings, Object summary, long millis, String configSha256) {
    StageRecord r = new StageRecord(stage.name(), sha256(settings), settings, stage.reads(), outputs(stage),
        summary == null ? null : JSON.valueToTree(summary), millis, configSha256);
    Path file = recordFile(stage.name());
    Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
    try {
      fs.mkdirs(file.getParent());
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(JSON.writeValueAsBytes(r));
      }
      fs.delete(file, false);
      if (!fs.rename(tmp, file)) {
        throw new IOException("rename " + tmp + " -> " + file + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit stage " + stage.name(), e);
    }
  }

  /** Removes a stage's record and everything it wrote, before it runs again. */
  public void clear(Stage<?> stage) {
    try {
      fs.delete(recordFile(stage.name()), false);
      for (String w : stage.writes()) {
        fs.delete(new Path(staging, w), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the outputs of stage " + stage.name(), e);
    }
  }

  StageRecord read(String stage) {
    Path file = recordFile(stage);
    try (var in = fs.open(file)) {
      return JSON.readValue(in.readAllBytes(), StageRecord.class);
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": unreadable stage record; delete " + staging + " to start afresh", e);
    }
  }

  /** Every file under the stage's outputs, relative to staging, with its length. */
  Map<String, Long> outputs(Stage<?> stage) {
    Map<String, Long> files = new TreeMap<>();
    String root = fs.makeQualified(staging).toUri().getPath();
    try {
      for (String w : stage.writes()) {
        Path p = new Path(staging, w);
        if (!fs.exists(p)) {
          continue;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          String rel = f.getPath().toUri().getPath().substring(root.length() + 1);
          files.put(rel, f.getLen());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the outputs of stage " + stage.name(), e);
    }
    return files;
  }

  private Path recordFile(String stage) {
    return new Path(new Path(staging, Tables.STAGES_DIR), stage + ".stage.json");
  }

  /** The settings that differ, as {@code key: old → new}, for the log. */
  static String difference(JsonNode before, JsonNode now) {
    List<String> changes = new ArrayList<>();
    diff("", before, now, changes);
    return changes.isEmpty() ? "(no field differs; the settings' format changed)" : String.join(", ", changes);
  }

  private static void diff(String prefix, JsonNode a, JsonNode b, List<String> out) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      TreeMap<String, Boolean> names = new TreeMap<>();
      a.fieldNames().forEachRemaining(n -> names.put(n, true));
      b.fieldNames().forEachRemaining(n -> names.put(n, true));
      for (String n : names.keySet()) {
        diff(prefix.isEmpty() ? n : prefix + "." + n, a.get(n), b.get(n), out);
      }
    } else if (a == null || !a.equals(b)) {
      out.add(prefix + ": " + a + " -> " + b);
    }
  }

  private static String firstDifference(Map<String, Long> recorded, Map<String, Long> found) {
    for (Map.Entry<String, Long> e : recorded.entrySet()) {
      if (!e.getValue().equals(found.get(e.getKey()))) {
        return "; first: " + e.getKey() + " recorded " + e.getValue() + " bytes, found "
            + (found.containsKey(e.getKey()) ? found.get(e.getKey()) + " bytes" : "none");
      }
    }
    return "";
  }

}
