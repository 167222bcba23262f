package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.eval.Evaluation;
import dev.distill.job.eval.ExportedStudent;
import dev.distill.job.eval.StudentsExported;
import dev.distill.job.eval.TeacherExport;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.read.InputError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A unit exported with static labels, written again with teacher labels, is what exporting its
 * evaluation with teacher labels writes — without distilling again (bench/yardstick.sh's teacher
 * units of the full combination: an hour a data seed saved).
 */
class TeacherExportTest extends SharedSpark {

  @Test
  void aStaticExportWrittenAgainWithTeacherLabelsIsTheTeacherLabelExport(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 10, 16);
    TinyData.folder(tmp.resolve("test"), 3, 5, 16);
    Map<String, String> o = new HashMap<>(TinyData.job(tmp.resolve("train").toString(), tmp.resolve("first").toString()));
    o.putAll(Map.of("distill.input.test-path", tmp.resolve("test").toString(), "distill.ipc", "1",
        "distill.evaluate.baselines", "[random]", "distill.evaluate.runs-path", tmp.resolve("runs").toString(),
        "distill.input.validation", "3", "distill.evaluate.seeds", "[0, 1]"));
    Pipeline.run(spark, ConfigLoader.load(null, o), false);
    // Taught by a kept observer, as the yardstick's units are.
    o.put("distill.observer.path", DistilledOutput.open(tmp.resolve("first").toString(), new Configuration()).observer());
    o.put("distill.output.path", tmp.resolve("out").toString());
    Pipeline.run(spark, ConfigLoader.load(null, o), false);
    Path staticExport = export(o, "static", tmp.resolve("static"), tmp.resolve("out"));
    Path teacherExport = export(o, "teacher", tmp.resolve("teacher"), tmp.resolve("out"));

    // The teachers copied from elsewhere (another checkout, a GPU node) name the runs as where they were.
    Path moved = tmp.resolve("moved-observer");
    copyFolder(Path.of(new org.apache.hadoop.fs.Path(o.get("distill.observer.path")).toUri().getPath()), moved);
    Path relabelled = tmp.resolve("relabelled");
    assertThat(TeacherExport.write(staticExport.toString(), moved.toString(), relabelled.toString(),
        new Configuration())).isEqualTo(4);

    assertThat(Files.readString(relabelled.resolve("plan.json"))).isEqualTo(Files.readString(teacherExport.resolve("plan.json")));
    List<String> students = studentFiles(teacherExport);
    assertThat(studentFiles(relabelled)).isEqualTo(students).hasSize(4).allMatch(f -> f.contains("-teacher-"));
    for (String f : students) {
      assertThat(gunzipped(relabelled.resolve(f))).isEqualTo(gunzipped(teacherExport.resolve(f)));
    }
    for (String f : List.of(ExportedStudent.TEST, ExportedStudent.VALIDATION, "teachers/0/observer.json")) {
      assertThat(Files.readAllBytes(relabelled.resolve(f))).isEqualTo(Files.readAllBytes(teacherExport.resolve(f)));
    }

    // Written once: a second run into the same folder, a teacher-label export, and other teachers are refused.
    assertThatThrownBy(() -> TeacherExport.write(staticExport.toString(), moved.toString(), relabelled.toString(),
        new Configuration())).isInstanceOf(InputError.class).hasMessageContaining(relabelled.resolve("plan.json") + " exists");
    assertThatThrownBy(() -> TeacherExport.write(teacherExport.toString(), moved.toString(),
        tmp.resolve("again").toString(), new Configuration())).isInstanceOf(InputError.class)
        .hasMessageContaining("a student with teacher labels; only a static-label export");
    Files.write(moved.resolve("observer-0000.params"), new byte[] {0}, StandardOpenOption.APPEND);
    assertThatThrownBy(() -> TeacherExport.write(staticExport.toString(), moved.toString(),
        tmp.resolve("other").toString(), new Configuration())).isInstanceOf(InputError.class)
        .hasMessageContaining("not the observers that labelled this unit");
    assertThatThrownBy(() -> TeacherExport.write(staticExport.toString(), tmp.toString(),
        tmp.resolve("none").toString(), new Configuration())).isInstanceOf(InputError.class)
        .hasMessageContaining(tmp.resolve("observer.json") + " not found");
  }

  private static Path export(Map<String, String> o, String labels, Path into, Path output) {
    Map<String, String> exporting = new HashMap<>(o);
    exporting.putAll(Map.of("distill.evaluate.label-modes", "[" + labels + "]",
        "distill.evaluate.export-path", into.toString()));
    assertThatThrownBy(() -> Evaluation.run(spark, ConfigLoader.load(null, exporting), output.toString()))
        .isInstanceOf(StudentsExported.class);
    return into;
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static JsonNode gunzipped(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static List<String> studentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(ExportedStudent.SUFFIX)).sorted().toList();
    }
  }
}
