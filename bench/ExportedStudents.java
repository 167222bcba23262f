import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.distill.job.eval.ExportedStudent;
import dev.distill.job.eval.StudentRun;
import dev.distill.udf.train.ImageSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Trains the students an evaluation wrote with distill.evaluate.export-path, without Spark, on a
 * GPU when DJL sees one (else the CPU), and writes each run under the name the evaluation looks
 * for; copy RUNS_DIR's files into the evaluation's runs-path and run it again to summarise:
 *   ExportedStudents EXPORT_DIR RUNS_DIR [PARALLEL]
 * A run already in RUNS_DIR is skipped, so a stopped runner resumes. PARALLEL students train at
 * once (default 1): their steps take turns on the device, and the turns overlap one student's
 * batch preparation on the CPU with another's step. Teachers are read from the local paths the
 * export names. On a GPU, cuDNN's convolution algorithms are not bit-reproducible, so a run
 * repeated there agrees to float noise, not byte for byte.
 */
public class ExportedStudents {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path runs = Path.of(args[1]);
    int parallel = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Device device = Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    ImageSet test = split(dir.resolve(ExportedStudent.TEST));
    Path validationFile = dir.resolve(ExportedStudent.VALIDATION);
    ImageSet validation = Files.exists(validationFile) ? split(validationFile) : null;
    Files.createDirectories(runs);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(ExportedStudent.SUFFIX)).sorted().toList();
    }
    System.out.printf("%d exported students in %s, on %s, %d at once%n", files.size(), dir, device, parallel);
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<Future<?>> running = new ArrayList<>();
    for (Path file : files) {
      running.add(pool.submit(() -> {
        train(file, runs, device, test, validation);
        return null;
      }));
    }
    pool.shutdown();
    for (Future<?> f : running) {
      f.get();
    }
  }

  private static void train(Path file, Path runs, Device device, ImageSet test, ImageSet validation)
      throws IOException {
    ExportedStudent s;
    try (InputStream in = Files.newInputStream(file)) {
      s = ExportedStudent.read(in);
    }
    Path out = runs.resolve(s.name());
    if (Files.exists(out)) {
      System.out.println(s.name() + ": already trained");
      return;
    }
    StudentRun run = s.train(device, test, validation);
    Path tmp = runs.resolve(s.name() + ".tmp");
    Files.write(tmp, run.toJson());
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.printf("%s: final %.4f, validation %.4f, %d s%n", s.name(), run.last(), run.validation(),
        run.millis() / 1000);
  }

  private static ImageSet split(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ExportedStudent.readSplit(in);
    }
  }
}
