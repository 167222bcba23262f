import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.infer.CompensatorTrainer;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.model.LogitsTranslator;
import dev.distill.udf.model.Observer;
import dev.distill.udf.palette.PaletteTrainer;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.LabelMode;
import dev.distill.udf.train.Mixing;
import dev.distill.udf.train.StudentOptions;
import dev.distill.udf.train.StudentTrainer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The job's DJL work on each device it is given (cpu, gpu), without Spark: the code every Spark task
 * runs once InferenceDevice has picked its device. On Fashion-MNIST's test file (its first 1,000
 * images train, the other 9,000 test):
 *  - scoring: the kept observer's logits on all 10,000 images (what RDED's scores and the stored
 *    labels are made of); accuracy, images/s, and the largest logit difference to the first device;
 *  - a student: ConvNet-3 on the 1,000 images with the observer's logits as static labels (the
 *    yardstick's protocol: CutMix, T = 20, AdamW 0.001, batch 100), STUDENT_EPOCHS epochs, final
 *    test accuracy and seconds; then the same student with the observer relabelling every batch
 *    (teacher labels: the predictor and the trainer share the device);
 *  - INFER's compensator: one compensator over one image per class, COMPENSATOR_ITERATIONS Adam
 *    steps through the frozen observer, loss in the first and last tenth;
 *  - AutoPalette's palette network: K = 4 on 200 images, PALETTE_ITERATIONS SGD steps with the task loss.
 * Prints one JSON object per device and writes them all to OUT:
 *   GpuCheck OBSERVER_DIR T10K_IMAGES.gz T10K_LABELS.gz OUT.json STUDENT_EPOCHS COMPENSATOR_ITERATIONS PALETTE_ITERATIONS
 *       DEVICE...
 */
public class GpuCheck {
  public static void main(String[] args) throws Exception {
    Path observerDir = Path.of(args[0]);
    ImageSet all = read(Path.of(args[1]), Path.of(args[2]));
    int studentEpochs = Integer.parseInt(args[4]);
    int iterations = Integer.parseInt(args[5]);
    int paletteIterations = Integer.parseInt(args[6]);
    ImageSet train = slice(all, 0, 1000);
    ImageSet test = slice(all, 1000, all.size());
    Map<String, Object> report = new LinkedHashMap<>();
    Engine engine = Engine.getEngine("PyTorch");
    report.put("date", java.time.Instant.now().toString());
    report.put("command", "GpuCheck " + String.join(" ", args));
    report.put("cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    report.put("gpu", nvidiaSmi());
    report.put("engine", engine.getEngineName() + " " + engine.getVersion());
    report.put("gpus", engine.getGpuCount());
    float[] reference = null;
    List<Object> runs = new ArrayList<>();
    for (int d = 7; d < args.length; d++) {
      // Device.fromName("gpu") is gpu(-1), which no tensor reports as its device: name ordinal 0.
      Device device = args[d].equals("gpu") ? Device.gpu() : Device.fromName(args[d]);
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("device", device.toString());
      try (Observer observer = Observer.load(observerDir, device)) {
        run.put("observer_device", observer.device().toString());
        Normalization norm = observer.metadata().normalization();
        long start = System.nanoTime();
        float[] logits = logits(observer, norm, all);
        run.put("scoring_images_per_s", all.size() / seconds(start));
        run.put("observer_test_accuracy", accuracy(logits, all, 1000, all.size()));
        if (reference == null) {
          reference = logits;
        }
        run.put("max_logit_difference_to_first_device", maxDifference(logits, reference));
        float[] trainLabels = java.util.Arrays.copyOf(reference, 1000 * 10);

        StudentOptions options = new StudentOptions(studentEpochs, 100, 0.001f, 0.01f, 20f, LabelMode.STATIC, 1,
            1.0, 0, 1, Mixing.CUTMIX);
        start = System.nanoTime();
        StudentTrainer.Result student = new StudentTrainer(new Architecture("convnet3"), norm, options, device)
            .train(train, trainLabels, 10, List.of(), test, e -> { });
        run.put("student_epochs", studentEpochs);
        run.put("student_seconds", seconds(start));
        run.put("student_final_test_accuracy", student.last());
        start = System.nanoTime();
        StudentTrainer.Result taught;
        try (Predictor<LogitsTranslator.Batch, float[]> teacher = observer.newPredictor()) {
          taught = new StudentTrainer(new Architecture("convnet3"), norm, options.forRun(LabelMode.TEACHER, 0), device)
              .train(train, null, 10, List.of(teacher), test, e -> { });
        }
        run.put("teacher_student_seconds", seconds(start));
        run.put("teacher_student_final_test_accuracy", taught.last());

        float[] naturals = firstOfEachClass(train);
        start = System.nanoTime();
        CompensatorTrainer.Result compensator;
        try (NDManager manager = NDManager.newBaseManager(observer.device(), "PyTorch")) {
          compensator = new CompensatorTrainer(new CompensatorTrainer.Options(iterations, 0.25f, 1f, 10f, 4, 0))
              .train(naturals, 10, 1, 28, 28, observer.block(), norm, manager, "gpu-check");
        }
        run.put("compensator_iterations", iterations);
        run.put("compensator_seconds", seconds(start));
        run.put("compensator_loss_first_tenth", compensator.lossByTenth().get(0)[0]);
        run.put("compensator_loss_last_tenth",
            compensator.lossByTenth().get(compensator.lossByTenth().size() - 1)[0]);

        start = System.nanoTime();
        PaletteTrainer.Result palette = new PaletteTrainer(new PaletteTrainer.Options(4, 256, paletteIterations, 50, 0.05f, 0.5f,
            5e-4f, 0.3, 1f, 1f, 3f, 1f, 0), device).train(slice(train, 0, 200), observer.block(), norm);
        run.put("palette_iterations", paletteIterations);
        run.put("palette_seconds", seconds(start));
        run.put("palette_loss_first_tenth", palette.lossByTenth().get(0)[0]);
        run.put("palette_loss_last_tenth", palette.lossByTenth().get(palette.lossByTenth().size() - 1)[0]);
      }
      System.out.println(new GsonBuilder().create().toJson(run));
      runs.add(run);
    }
    report.put("runs", runs);
    Files.writeString(Path.of(args[3]), new GsonBuilder().setPrettyPrinting().create().toJson(report) + "\n");
  }

  private static float[] logits(Observer observer, Normalization norm, ImageSet data) throws Exception {
    int batch = 500;
    int chw = data.imageBytes();
    float[] input = new float[batch * chw];
    float[] out = new float[data.size() * 10];
    try (Predictor<LogitsTranslator.Batch, float[]> predictor = observer.newPredictor()) {
      for (int start = 0; start < data.size(); start += batch) {
        int n = Math.min(batch, data.size() - start);
        for (int i = 0; i < n; i++) {
          norm.write(data.image(start + i), data.height(), data.width(), input, i * chw);
        }
        float[] logits = predictor.predict(new LogitsTranslator.Batch(input, n, 1, 28, 28));
        System.arraycopy(logits, 0, out, start * 10, n * 10);
      }
    }
    return out;
  }

  private static double accuracy(float[] logits, ImageSet data, int from, int to) {
    int correct = 0;
    for (int i = from; i < to; i++) {
      int best = 0;
      for (int c = 1; c < 10; c++) {
        best = logits[i * 10 + c] > logits[i * 10 + best] ? c : best;
      }
      correct += best == data.label(i) ? 1 : 0;
    }
    return (double) correct / (to - from);
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /** One image of each class in [0, 1], class c at row c (the first of that class). */
  private static float[] firstOfEachClass(ImageSet data) {
    float[] out = new float[10 * data.imageBytes()];
    boolean[] seen = new boolean[10];
    for (int i = 0; i < data.size(); i++) {
      int c = data.label(i);
      if (!seen[c]) {
        seen[c] = true;
        byte[] pixels = data.image(i).data();
        for (int p = 0; p < pixels.length; p++) {
          out[c * pixels.length + p] = (pixels[p] & 0xff) / 255f;
        }
      }
    }
    return out;
  }

  private static ImageSet slice(ImageSet data, int from, int to) {
    ImageSet out = new ImageSet(data.channels(), data.height(), data.width());
    for (int i = from; i < to; i++) {
      out.add(data.image(i).data(), data.label(i));
    }
    return out;
  }

  /** Reads an IDX image file and its label file (gzip); the job's IdxSource reads through Hadoop, absent here. */
  private static ImageSet read(Path images, Path labels) throws IOException {
    try (DataInputStream in = new DataInputStream(gunzip(images)); DataInputStream lab = new DataInputStream(gunzip(labels))) {
      in.readInt();
      int n = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      lab.readInt();
      lab.readInt();
      ImageSet set = new ImageSet(1, rows, cols);
      for (int i = 0; i < n; i++) {
        byte[] pixels = new byte[rows * cols];
        in.readFully(pixels);
        set.add(pixels, lab.readUnsignedByte());
      }
      return set;
    }
  }

  private static InputStream gunzip(Path file) throws IOException {
    return new GZIPInputStream(Files.newInputStream(file), 1 << 16);
  }

  private static String cpuModel() throws IOException {
    return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
  }

  /** The GPU's name and driver, as nvidia-smi reports them ("none" without it). */
  private static String nvidiaSmi() {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? out : "none";
    } catch (IOException | InterruptedException e) {
      return "none";
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
