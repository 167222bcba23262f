package dev.distill.job.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.output.FileReplacement;
import dev.distill.job.output.Manifest;
import dev.distill.job.read.InputError;
import dev.distill.udf.train.StudentOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Everything an evaluation's summary needs except the students' results, written as
 * {@code plan.json} beside exported students (distill.evaluate.export-path): the output's
 * manifest, the protocol, the training sets with their bytes, the teachers' bytes, and the name
 * of every run in the evaluation's order. With it the summary is made from the finished runs alone
 * ({@code bin/distill evaluate --plan}), without distilling again — so students exported on one
 * CPU type can finish, and be summarised, on another, where distilling again would label in other
 * last float bits and name every run differently.
 */
record EvaluationPlan(Manifest manifest, StudentOptions protocol, long teacherBytes, List<TrainingSet> sets,
    List<String> runs) {

  static final String FILE = "plan.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  void write(FileSystem fs, Path dir) {
    ObjectNode p = JSON.createObjectNode();
    p.set("manifest", manifest.toJson());
    p.set("protocol", JSON.valueToTree(protocol));
    p.put("teacher_bytes", teacherBytes);
    sets.forEach(s -> p.withArray("sets").add(JSON.valueToTree(s.withoutPath())));
    runs.forEach(p.putArray("runs")::add);
    try {
      FileReplacement.write(fs, dir, FILE, JSON.writeValueAsBytes(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + FILE + " into " + dir, e);
    }
  }

  static EvaluationPlan read(FileSystem fs, Path dir) {
    Path file = new Path(dir, FILE);
    JsonNode p;
    try (InputStream in = fs.open(file)) {
      p = JSON.readTree(in);
    } catch (IOException e) {
      throw new InputError(file + ": cannot read the evaluation plan (written beside exported students by "
          + "distill.evaluate.export-path): " + e.getMessage(), e);
    }
    for (String field : List.of("manifest", "protocol", "teacher_bytes", "sets", "runs")) {
      if (!p.hasNonNull(field)) {
        throw new InputError(file + ": not an evaluation plan: field " + field + " is missing");
      }
    }
    try {
      List<TrainingSet> sets = new ArrayList<>();
      for (JsonNode s : p.withArray("sets")) {
        sets.add(JSON.treeToValue(s, TrainingSet.class));
      }
      List<String> runs = new ArrayList<>();
      p.withArray("runs").forEach(n -> runs.add(n.asText()));
      return new EvaluationPlan(Manifest.parse(JSON.writeValueAsBytes(p.get("manifest")), file + " (manifest)"),
          JSON.treeToValue(p.get("protocol"), StudentOptions.class), p.get("teacher_bytes").asLong(), sets, runs);
    } catch (IOException | IllegalArgumentException e) {
      throw new InputError(file + ": not a valid evaluation plan: " + e.getMessage(), e);
    }
  }

  /**
   * This plan and {@code later}'s, an export of the same evaluation for other data seeds, as one:
   * a unit whose distillations outlast a session is exported a data seed at a time, each export
   * kept as it finishes, and adds up to the plan one export of every data seed writes — sets and
   * runs in data-seed order, the manifest of the lowest data seed's output. Exporting a data seed
   * again must give the same sets; an export of other settings is refused, naming {@code file}.
   */
  EvaluationPlan with(EvaluationPlan later, Path file) {
    Map<String, TrainingSet> byKey = new LinkedHashMap<>();
    sets.forEach(s -> byKey.put(s.key(), s.withoutPath()));
    String other = mismatch(later);
    for (TrainingSet s : later.sets.stream().map(TrainingSet::withoutPath).toList()) {
      TrainingSet kept = byKey.putIfAbsent(s.key(), s);
      if (other == null && kept != null && !kept.equals(s)) {
        other = "set " + s.key() + " of " + s.imageBytes() + " image bytes, not " + kept.imageBytes()
            + " (distilled again on other content: another CPU type?)";
      }
    }
    if (other != null) {
      throw new InputError(file + " plans another evaluation than the students exported beside it now: "
          + other + ". Export into an empty folder, or remove this one to export the unit again");
    }
    List<TrainingSet> merged = byKey.values().stream().sorted(Comparator.comparingLong(TrainingSet::dataSeed)).toList();
    LinkedHashSet<String> union = new LinkedHashSet<>(runs);
    union.addAll(later.runs);
    List<String> names = union.stream().sorted(Comparator.comparingInt(r -> setIndex(merged, r))).toList();
    Manifest first = later.manifest.seed() < manifest.seed() ? later.manifest : manifest;
    return new EvaluationPlan(first, protocol, teacherBytes, merged, names);
  }

  /** How {@code later} is another evaluation than this plan's, or null when it is the same one. */
  private String mismatch(EvaluationPlan later) {
    Manifest m = later.manifest;
    if (!manifest.method().equals(m.method()) || manifest.ipc() != m.ipc() || manifest.classes() != m.classes()) {
      return m.method() + " at IPC " + m.ipc() + " over " + m.classes() + " classes, not " + manifest.method()
          + " at IPC " + manifest.ipc() + " over " + manifest.classes() + " classes";
    }
    if (!protocol.equals(later.protocol)) {
      return "student protocol " + later.protocol + ", not " + protocol;
    }
    return teacherBytes == later.teacherBytes ? null : later.teacherBytes + " teacher bytes, not " + teacherBytes;
  }

  private static int setIndex(List<TrainingSet> sets, String run) {
    for (int i = 0; i < sets.size(); i++) {
      if (run.startsWith(FinishedRuns.prefix(sets.get(i)))) {
        return i;
      }
    }
    throw new IllegalStateException("run " + run + " belongs to none of the plan's sets");
  }

  /** The evaluation's summary from the plan's runs in {@code finished}; an error naming those not there. */
  ObjectNode summarise(FinishedRuns finished) {
    List<StudentRun> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : runs) {
      finished.find(name).ifPresentOrElse(found::add, () -> missing.add(name));
    }
    if (!missing.isEmpty()) {
      throw new InputError(missing.size() + " of the plan's " + runs.size() + " student runs are not in "
          + finished.dir() + " (distill.evaluate.runs-path), e.g. " + missing.get(0) + "; train their exported "
          + "students (bench/ExportedStudents.java) into it first");
    }
    Map<String, TrainingSet> byKey = new LinkedHashMap<>();
    sets.forEach(s -> byKey.put(s.key(), s));
    return EvaluationSummary.of(manifest, protocol, found, byKey, teacherBytes);
  }
}
