package dev.distill.job.eval;

import dev.distill.job.output.DistilledOutput;
import dev.distill.job.output.FileReplacement;
import dev.distill.job.output.Manifest;
import dev.distill.job.read.InputError;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.model.ObserverMetadata;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.LabelMode;
import dev.distill.udf.train.StudentOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * A unit's students exported with static labels, written again with teacher labels: the same
 * training images, no stored logits, taught by the teachers that labelled the output — the files,
 * names and plan that exporting the evaluation with {@code label-modes = [teacher]} writes, without
 * distilling again. Distilling a full-combination unit takes an hour a data seed here; this takes
 * seconds. Run names hash the teachers' paths as the output's manifest records them (what the
 * evaluation of that output names its runs by); the teachers themselves are copied from {@code
 * observers} (distill.observer.path: one observer or an ensemble's directory; by default where the
 * manifest says). As in the evaluation, a teacher is trusted by its path: this checks that each
 * one's architecture is the one that labelled the output and that together they measure the bytes
 * the plan records, not their weights.
 */
public final class TeacherExport {
  private TeacherExport() {}

  /** Writes {@code staticDir}'s students with teacher labels into {@code out}; returns how many. */
  public static int write(String staticDir, String observers, String out, Configuration hadoop) {
    Path from = new Path(staticDir);
    Path to = new Path(out);
    try {
      FileSystem fs = from.getFileSystem(hadoop);
      FileSystem outFs = to.getFileSystem(hadoop);
      if (outFs.exists(new Path(to, EvaluationPlan.FILE))) {
        throw new InputError(new Path(to, EvaluationPlan.FILE) + " exists: export the teacher-label students into "
            + "an empty folder, or remove that one to export them again");
      }
      EvaluationPlan plan = EvaluationPlan.read(fs, from);
      Manifest manifest = plan.manifest();
      List<String> recorded = DistilledOutput.teachers(teacherRoot(manifest), manifest.observer().labelledBy());
      List<String> sources = observers == null ? recorded
          : DistilledOutput.teachers(observers, manifest.observer().labelledBy());
      checkTeachers(fs, sources, manifest, plan.teacherBytes());
      ImageSet test = split(fs, new Path(from, ExportedStudent.TEST), true);
      ImageSet validation = split(fs, new Path(from, ExportedStudent.VALIDATION), false);
      FinishedRuns names = new FinishedRuns(out, new HadoopConf(hadoop));
      List<String> relative = IntStream.range(0, sources.size()).mapToObj(ExportedStudent::teacher).toList();
      List<String> runs = new ArrayList<>();
      for (String run : plan.runs()) {
        ExportedStudent s = read(fs, new Path(from, StudentExport.fileName(run)));
        TrainingSet set = setOf(plan, s, run);
        StudentOptions options = set.protocol().forRun(LabelMode.TEACHER, s.seed());
        StudentTask.Spec spec = new StudentTask.Spec(set.key(), s.student(), "teacher", s.seed());
        String name = names.name(spec, set, options, recorded, s.train().toImageSet(), null, test, validation);
        ExportedStudent taught = new ExportedStudent(name, s.dataset(), s.ipc(), s.dataSeed(), s.student(), "teacher",
            s.seed(), s.batchSize(), s.normalization(), options, s.classes(), relative, s.train(), null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        taught.write(bytes);
        FileReplacement.write(outFs, to, StudentExport.fileName(name), bytes.toByteArray());
        runs.add(name);
      }
      for (String split : List.of(ExportedStudent.TEST, ExportedStudent.VALIDATION)) {
        if (fs.exists(new Path(from, split))) {
          FileUtil.copy(fs, new Path(from, split), outFs, new Path(to, split), false, hadoop);
        }
      }
      Evaluation.copyTeachers(outFs, to, sources);
      new EvaluationPlan(manifest, plan.protocol(), plan.teacherBytes(), plan.sets(), runs).write(outFs, to);
      return runs.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export " + staticDir + "'s students with teacher labels into " + out, e);
    }
  }

  /** Where the manifest's teachers live: the scoring observer, or the ensemble directory above it. */
  private static String teacherRoot(Manifest manifest) {
    if (manifest.observer().trainedByThisRun()) {
      throw new InputError("this unit's output trained its own observer, which its manifest locates relative to the "
          + "output, and the plan does not record where that was: export its teacher-label students with the "
          + "evaluation instead (distill.evaluate.label-modes = [teacher], distill.evaluate.export-path)");
    }
    return DistilledOutput.observers(manifest.observer().location(), manifest.observer().labelledBy());
  }

  private static void checkTeachers(FileSystem fs, List<String> teachers, Manifest manifest, long planned)
      throws IOException {
    List<String> by = manifest.observer().labelledBy();
    long bytes = 0;
    for (int i = 0; i < teachers.size(); i++) {
      Path dir = new Path(teachers.get(i));
      FileSystem tfs = dir.getFileSystem(fs.getConf());
      Path file = new Path(dir, ObserverMetadata.FILE);
      if (!tfs.exists(file)) {
        throw new InputError(file + " not found: a teacher of this unit (labelled by " + by + ") must be there; "
            + "name where its observers are with distill.observer.path");
      }
      String expected = by.isEmpty() ? manifest.observer().architecture() : by.get(i);
      String architecture;
      try (InputStream in = tfs.open(file)) {
        architecture = ObserverMetadata.fromJson(in.readAllBytes(), file.toString()).architecture();
      }
      if (!expected.equals(architecture)) {
        throw new InputError(file + ": a " + architecture + ", but this unit's teacher " + i + " is a " + expected);
      }
      bytes += tfs.getContentSummary(dir).getLength();
    }
    if (bytes != planned) {
      throw new InputError("the teachers at " + teachers + " hold " + bytes + " bytes, but the plan's teachers held "
          + planned + ": not the observers that labelled this unit");
    }
  }

  private static TrainingSet setOf(EvaluationPlan plan, ExportedStudent s, String run) {
    if (!"static".equals(s.labels())) {
      throw new InputError(run + ": a student with " + s.labels() + " labels; only a static-label export is "
          + "written again with teacher labels");
    }
    return plan.sets().stream().filter(t -> run.startsWith(FinishedRuns.prefix(t))).findFirst()
        .orElseThrow(() -> new InputError(run + " belongs to none of the plan's training sets"));
  }

  private static ExportedStudent read(FileSystem fs, Path file) throws IOException {
    if (!fs.exists(file)) {
      throw new InputError(file + " not found: the plan names this student, but its export is not beside it");
    }
    try (InputStream in = fs.open(file)) {
      return ExportedStudent.read(in);
    }
  }

  private static ImageSet split(FileSystem fs, Path file, boolean required) throws IOException {
    if (!fs.exists(file)) {
      if (required) {
        throw new InputError(file + " not found: the test split is written beside exported students");
      }
      return null;
    }
    try (InputStream in = fs.open(file)) {
      return ExportedStudent.readSplit(in);
    }
  }
}
