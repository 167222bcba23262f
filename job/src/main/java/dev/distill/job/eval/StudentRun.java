package dev.distill.job.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.List;

/**
 * One student training: which training set ({@code rded}, {@code random}, {@code full}) at which
 * images-per-class budget ({@code null}: all) and data seed, which student, targets, seed and batch size, and what
 * it scored on the test split after each evaluated epoch, and the final model on the validation
 * split (NaN without one). {@code resumed}: read back from an earlier, interrupted evaluation
 * ({@link FinishedRuns}) rather than trained by this one.
 */
public record StudentRun(String dataset, Integer ipc, long dataSeed, String student, String labels, long seed,
    int batchSize,
    int trainImages,
    List<Integer> epochs, List<Double> accuracies, double validation, long millis, boolean resumed)
    implements Serializable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The file a finished run is kept as ({@link FinishedRuns}, bench/ExportedStudents.java). */
  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  static StudentRun fromJson(InputStream in) throws IOException {
    return JSON.readValue(in, StudentRun.class);
  }

  StudentRun asResumed() {
    return new StudentRun(dataset, ipc, dataSeed, student, labels, seed, batchSize, trainImages, epochs, accuracies,
        validation, millis, true);
  }

  public double best() {
    return accuracies.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  public double last() {
    return accuracies.get(accuracies.size() - 1);
  }

  /** What pairs it with a run of another training set: the same data seed and student seed. */
  String pairing() {
    return dataSeed + "/" + seed;
  }
}
