import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.job.eval.ExportedStudent;
import dev.distill.job.eval.StudentRun;
import dev.distill.udf.train.ImageSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
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
 * A run already in RUNS_DIR is skipped, so a stopped runner resumes. With the export's plan.json
 * in EXPORT_DIR the students train in the plan's order (each data seed's arm, then its baselines),
 * so a unit stopped part way leaves whole data-seed pairs, which can be compared already; without
 * it, in file-name order. PARALLEL students train at
 * once (default 1): their steps take turns on the device, and the turns overlap one student's
 * batch preparation on the CPU with another's step. Teachers are read from the export's teachers/
 * folder (an older export names absolute paths). On a GPU, cuDNN's convolution algorithms are not bit-reproducible, so a run
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
    List<String> order = planOrder(dir.resolve("plan.json"));
    files = files.stream().sorted(Comparator.comparingInt(f -> rank(order, f))).toList();
    System.out.printf("%d exported students in %s, on %s, %d at once, in %s order%n", files.size(), dir, device,
        parallel, order.isEmpty() ? "file-name" : "the plan's");
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
    StudentRun run = s.train(file.toAbsolutePath().getParent(), device, test, validation);
    Path tmp = runs.resolve(s.name() + ".tmp");
    Files.write(tmp, run.toJson());
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.printf("%s: final %.4f, validation %.4f, %d s%n", s.name(), run.last(), run.validation(),
        run.millis() / 1000);
  }

  /** The run names of the evaluation's plan, in its order; empty without a plan. */
  private static List<String> planOrder(Path plan) throws IOException {
    if (!Files.exists(plan)) {
      return List.of();
    }
    List<String> runs = new ArrayList<>();
    new ObjectMapper().readTree(plan.toFile()).withArray("runs").forEach(n -> runs.add(n.asText()));
    return runs;
  }

  /** A student's place in the plan (its file is its run's name with SUFFIX); those not in it last. */
  private static int rank(List<String> order, Path file) {
    String run = file.getFileName().toString().replace(ExportedStudent.SUFFIX, ".json");
    int i = order.indexOf(run);
    return i < 0 ? order.size() : i;
  }

  private static ImageSet split(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ExportedStudent.readSplit(in);
    }
  }
}
