package dev.distill.job.eval;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.model.LogitsTranslator;
import dev.distill.udf.model.Observer;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.StudentOptions;
import dev.distill.udf.train.StudentTrainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One student's whole input, written instead of training it when distill.evaluate.export-path is
 * set, so that it trains on a machine without Spark: a GPU box with a JVM and libtorch
 * (bench/ExportedStudents.java). Holds the training images, the stored logits (null for teacher
 * labels), the protocol with its seed, the teachers' paths, and the name {@link FinishedRuns} keeps
 * the run under. The run written back under that name is what the evaluation, run again, reads
 * instead of training. The test and validation splits are written once beside these files
 * ({@link #TEST}, {@link #VALIDATION}), and the teachers once, copied into {@link #TEACHERS}: a
 * teacher-label student names its teachers relative to the export's directory, so the directory
 * trains wherever it is moved (a GPU node, another checkout), not only where the observers were. Each
 * file is gzipped JSON: readable anywhere, and deserialising it cannot run code.
 */
public record ExportedStudent(String name, String dataset, Integer ipc, long dataSeed, String student, String labels,
    long seed, int batchSize, Normalization normalization, StudentOptions options, int classes,
    List<String> teachers, Images train, float[] logits) {

  public static final String SUFFIX = ".student.json.gz";
  public static final String TEST = "test.images.json.gz";
  public static final String VALIDATION = "validation.images.json.gz";
  /** The folder beside the students that holds a copy of each teacher, as {@code teachers/<index>}. */
  static final String TEACHERS = "teachers";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An {@link ImageSet} as plain fields. */
  public record Images(int channels, int height, int width, byte[] pixels, int[] labels) {
    static Images of(ImageSet set) {
      int n = set.size();
      byte[] pixels = new byte[n * set.imageBytes()];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(set.image(i).data(), 0, pixels, i * set.imageBytes(), set.imageBytes());
        labels[i] = set.label(i);
      }
      return new Images(set.channels(), set.height(), set.width(), pixels, labels);
    }

    public ImageSet toImageSet() {
      ImageSet set = new ImageSet(channels, height, width);
      int size = channels * height * width;
      for (int i = 0; i < labels.length; i++) {
        set.add(java.util.Arrays.copyOfRange(pixels, i * size, (i + 1) * size), labels[i]);
      }
      return set;
    }
  }

  /** The name a student exported with its teachers gives teacher {@code index}: relative to the export. */
  static String teacher(int index) {
    return TEACHERS + "/" + index;
  }

  /**
   * Trains this student on {@code device} and returns its run as the evaluation would have kept it.
   * Teachers are loaded from the export's directory {@code dir} (or, for an export made before they
   * were copied there, from the absolute paths or file: URIs it names).
   */
  public StudentRun train(Path dir, Device device, ImageSet test, ImageSet validation) {
    long start = System.nanoTime();
    List<Observer> loaded = new ArrayList<>();
    List<Predictor<LogitsTranslator.Batch, float[]>> predictors = new ArrayList<>();
    StudentTrainer.Result result;
    try {
      for (String t : teachers) {
        loaded.add(Observer.load(t.startsWith("file:") ? Path.of(URI.create(t)) : dir.resolve(t), device));
        predictors.add(loaded.get(loaded.size() - 1).newPredictor());
      }
      result = new StudentTrainer(new Architecture(student), normalization, options, device)
          .train(train.toImageSet(), logits, classes, predictors, test, validation, epoch -> { });
    } finally {
      predictors.forEach(Predictor::close);
      loaded.forEach(Observer::close);
    }
    return new StudentRun(dataset, ipc, dataSeed, student, labels, seed, batchSize, train.labels().length,
        result.evaluatedEpochs(), result.accuracies(), result.validationAccuracy(),
        (System.nanoTime() - start) / 1_000_000, false);
  }

  void write(OutputStream out) throws IOException {
    writeGzipped(out, this);
  }

  static void writeSplit(OutputStream out, ImageSet split) throws IOException {
    writeGzipped(out, Images.of(split));
  }

  public static ExportedStudent read(InputStream in) throws IOException {
    try (InputStream gz = new GZIPInputStream(in, 1 << 16)) {
      return JSON.readValue(gz, ExportedStudent.class);
    }
  }

  public static ImageSet readSplit(InputStream in) throws IOException {
    try (InputStream gz = new GZIPInputStream(in, 1 << 16)) {
      return JSON.readValue(gz, Images.class).toImageSet();
    }
  }

  private static void writeGzipped(OutputStream out, Object value) throws IOException {
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      JSON.writeValue(gz, value);
    }
  }
}
