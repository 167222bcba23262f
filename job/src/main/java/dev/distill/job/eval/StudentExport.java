package dev.distill.job.eval;

import dev.distill.job.output.FileReplacement;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;

/**
 * Writes one unfinished student's inputs into {@code dir} instead of training it
 * (distill.evaluate.export-path; {@link ExportedStudent}); a student that finished before is not
 * written, its kept run is read as usual.
 */
record StudentExport(StudentTask task, String dir) implements Function<StudentTask.Spec, StudentExport.Result>,
    Serializable {

  /** The name the student's run is kept under, and whether its inputs were written. */
  record Result(String run, boolean written) implements Serializable {}

  @Override
  public Result call(StudentTask.Spec spec) throws Exception {
    StudentTask.Inputs in = task.load(spec);
    if (task.finished().find(in.name()).isPresent()) {
      return new Result(in.name(), false);
    }
    TrainingSet set = in.set();
    // The teachers' copies beside the students (the evaluation writes them), not where they were read.
    List<String> teachers = IntStream.range(0, task.teachersFor(in.mode()).size())
        .mapToObj(ExportedStudent::teacher).toList();
    ExportedStudent student = new ExportedStudent(in.name(), set.name(), set.ipc(), set.dataSeed(), spec.student(),
        spec.labels(), spec.seed(), set.protocol().batchSize(), task.normalization(), in.options(), task.classes(),
        teachers, ExportedStudent.Images.of(in.train()), in.logits());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    student.write(bytes);
    Path root = new Path(dir);
    FileReplacement.write(root.getFileSystem(task.conf().get()), root, fileName(in.name()), bytes.toByteArray());
    return new Result(in.name(), true);
  }

  /** The export file of the run kept as {@code runName}. */
  static String fileName(String runName) {
    return runName.replaceFirst("\\.json$", "") + ExportedStudent.SUFFIX;
  }
}
