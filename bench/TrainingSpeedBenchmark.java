import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.model.LogitsTranslator;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.LabelMode;
import dev.distill.udf.train.Mixing;
import dev.distill.udf.train.ObserverTrainer;
import dev.distill.udf.train.StudentOptions;
import dev.distill.udf.train.StudentTrainer;
import dev.distill.udf.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training loops' speed against their ceiling, in one JVM (ratios only compare within a run):
 *  - raw: ConvNet-3 forward + backward + Adam step on one ready-made batch, again and again (no
 *    data preparation, no evaluation), at the loop's batch size; for teacher-mode students the
 *    teacher's forward on the batch is part of the raw step;
 *  - the loops: ObserverTrainer (one epoch) and StudentTrainer (static and teacher labels) on
 *    random 28×28 gray images, which cost the same as real ones;
 *  - what the student's test passes cost: the default protocol (tests after each of the last 20 %
 *    of epochs at eval-every) against testing once after the final epoch;
 *  - test inference at batch 256 and 1024.
 * Run through bench/training-speed.sh, which passes the launcher's JVM flags (precisions other than
 * fp32: bench/precision.sh).
 */
public class TrainingSpeedBenchmark {
  private static final Architecture CONVNET3 = new Architecture("convnet3");
  private static final Normalization NORM = new Normalization(new float[] {0.286f}, new float[] {0.353f});
  private static final int CLASSES = 10;

  public static void main(String[] args) throws Exception {
    Path result = Path.of(args[0]);
    int observerImages = Integer.parseInt(args[1]);
    int studentEpochs = Integer.parseInt(args[2]);
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("date", java.time.Instant.now().toString());
    out.put("command", "bench/training-speed.sh " + String.join(" ", List.of(args).subList(1, args.length)));
    out.put("cpu", cpuModel());
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("torch_threads", System.getProperty("ai.djl.pytorch.num_threads"));
    out.put("precision", "fp32");

    ImageSet test = randomImages(10_000, 2);
    try (Model teacherModel = Model.newInstance("teacher", Device.cpu(), "PyTorch")) {
      teacherModel.setBlock(CONVNET3.newBlock(1, 28, 28, CLASSES));
      teacherModel.getBlock().initialize(teacherModel.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
          new Shape(1, 1, 28, 28));

      // 1. Observer: batch 256, one epoch.
      ObjectNode observer = out.putObject("observer");
      double raw = rawRate(256, null, 30);
      ImageSet train = randomImages(observerImages, 1);
      TrainingOptions options = new TrainingOptions(1, 256, 0.001f, 0);
      long t0 = System.nanoTime();
      new ObserverTrainer(CONVNET3, NORM, options, Device.cpu()).train(train, CLASSES, (e, m) -> { }).close();
      double loop = (observerImages / 256 * 256) / seconds(t0);
      observer.put("batch", 256);
      observer.put("raw_images_per_s", raw);
      observer.put("loop_images_per_s", loop);
      observer.put("ratio", loop / raw);
      observer.put("seconds_per_epoch_55k", 55_000 / loop);
      observer.put("seconds_per_epoch_60k", 60_000 / loop);

      // 2. Students at the IPC-10 budget's shape: 100 images, batch 50 (RDED's rule).
      ImageSet students = randomImages(100, 3);
      float[] logits = new float[100 * CLASSES];
      SplittableRandom r = new SplittableRandom(4);
      for (int i = 0; i < logits.length; i++) {
        logits[i] = (float) r.nextGaussian() * 3;
      }
      try (Predictor<LogitsTranslator.Batch, float[]> teacher = teacherModel.newPredictor(new LogitsTranslator())) {
        for (LabelMode mode : List.of(LabelMode.STATIC, LabelMode.TEACHER)) {
          ObjectNode s = out.putObject("student_" + mode.name().toLowerCase());
          double rawStudent = rawRate(50, mode == LabelMode.TEACHER ? teacher : null, 100);
          s.put("batch", 50);
          s.put("images", 100);
          s.put("epochs", studentEpochs);
          s.put("raw_images_per_s", rawStudent);
          // The default protocol's test passes: after each of the last 20 % of the epochs at
          // eval-every = epochs / 30 (300 epochs: every 10th from 250, 6 passes), and final only.
          int every = Math.max(1, studentEpochs / 30);
          double withTests = studentRun(students, logits, test, teacher, mode, studentEpochs, every, 0.8);
          double finalOnly = studentRun(students, logits, test, teacher, mode, studentEpochs, 1, 1.0);
          double trainOnly = studentRun(students, logits, null, teacher, mode, studentEpochs, 1, 1.0);
          double trained = 100.0 * studentEpochs;
          s.put("loop_images_per_s", trained / trainOnly);
          s.put("ratio", trained / trainOnly / rawStudent);
          s.put("seconds_default_tests", withTests);
          s.put("seconds_final_test_only", finalOnly);
          s.put("seconds_no_test", trainOnly);
          s.put("test_share_default", (withTests - trainOnly) / withTests);
        }
      }

      // 3. Test inference at two batch sizes.
      ObjectNode inference = out.putObject("test_inference_images_per_s");
      for (int batch : new int[] {256, 1024}) {
        ObserverTrainer.accuracy(teacherModel, NORM, test, batch);
        long t1 = System.nanoTime();
        ObserverTrainer.accuracy(teacherModel, NORM, test, batch);
        inference.put("batch_" + batch, test.size() / seconds(t1));
      }
    }
    Files.createDirectories(result.getParent());
    Files.writeString(result, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    System.out.println(out.toPrettyString());
  }

  /** Seconds one student run takes; {@code test} null: no test passes at all. */
  private static double studentRun(ImageSet data, float[] logits, ImageSet test,
      Predictor<LogitsTranslator.Batch, float[]> teacher, LabelMode mode, int epochs, int every, double from) {
    StudentOptions options = new StudentOptions(epochs, 50, 0.001f, 0.01f, 20f, mode, every, from, 0, 1,
        Mixing.CUTMIX);
    ImageSet tested = test == null ? randomImages(0, 0) : test;
    long t0 = System.nanoTime();
    new StudentTrainer(CONVNET3, NORM, options, Device.cpu())
        .train(data, logits, CLASSES, List.of(teacher), tested, e -> { });
    return seconds(t0);
  }

  /** Images per second of forward + backward + Adam step (+ the teacher's forward) on one batch. */
  private static double rawRate(int batch, Predictor<LogitsTranslator.Batch, float[]> teacher, int steps)
      throws Exception {
    try (Model model = Model.newInstance("raw", Device.cpu(), "PyTorch")) {
      model.setBlock(CONVNET3.newBlock(1, 28, 28, CLASSES));
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(batch, 1, 28, 28));
        NDManager m = trainer.getManager();
        float[] pixels = new float[batch * 28 * 28];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) r.nextGaussian();
        }
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) {
          labels[i] = i % CLASSES;
        }
        LogitsTranslator.Batch input = new LogitsTranslator.Batch(pixels, batch, 1, 28, 28);
        long t0 = 0;
        for (int s = 0; s < steps + 10; s++) {
          if (s == 10) {
            t0 = System.nanoTime();
          }
          if (teacher != null) {
            teacher.predict(input);
          }
          // Inputs in a per-step scope, as the loops do: what the step computes is freed with it.
          try (NDManager scope = m.newSubManager(); GradientCollector collector = trainer.newGradientCollector()) {
            NDArray x = scope.create(pixels, new Shape(batch, 1, 28, 28));
            NDArray y = scope.create(labels);
            NDList z = trainer.forward(new NDList(x));
            collector.backward(trainer.getLoss().evaluate(new NDList(y), z));
          }
          trainer.step();
        }
        return steps * batch / seconds(t0);
      }
    }
  }

  private static ImageSet randomImages(int n, long seed) {
    ImageSet set = new ImageSet(1, 28, 28);
    SplittableRandom r = new SplittableRandom(seed);
    byte[] image = new byte[28 * 28];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < image.length; p++) {
        image[p] = (byte) r.nextInt(256);
      }
      set.add(image, i % CLASSES);
    }
    return set;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String cpuModel() throws Exception {
    return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
  }
}
