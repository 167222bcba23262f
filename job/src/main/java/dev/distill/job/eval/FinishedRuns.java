package dev.distill.job.eval;

import dev.distill.job.output.FileReplacement;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.StudentOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Students that have finished, one JSON file each in a directory, so an evaluation that stops (a
 * crash, a lost driver, a benchmark spread over sessions) resumes where it stopped instead of
 * training them again. A file is named by a SHA-256 over everything a run's result depends on —
 * the training images, labels and stored logits, the test and validation splits, the protocol,
 * the student, the label mode, the seed and the teachers — so a changed setting or input trains
 * anew instead of reusing a run of other data. (Labels computed on another CPU type differ in
 * their last float bits, so their students train anew too: exact, at the cost of that compute.)
 */
record FinishedRuns(String dir, HadoopConf conf) implements Serializable {
  /** What a run of {@code spec} on this content would be kept as: a readable prefix, then the content hash. */
  String name(StudentTask.Spec spec, TrainingSet set, StudentOptions options, List<String> teachers,
      ImageSet train, float[] logits, ImageSet test, ImageSet validation) {
    MessageDigest sha = sha256();
    text(sha, spec.student() + "\n" + spec.labels() + "\n" + spec.seed() + "\n" + options + "\n" + teachers);
    for (ImageSet images : new ImageSet[] {train, test, validation}) {
      text(sha, images == null ? "none" : "images");
      if (images != null) {
        images.digest(sha);
      }
    }
    if (logits != null) {
      ByteBuffer b = ByteBuffer.allocate(4 * logits.length);
      b.asFloatBuffer().put(logits);
      sha.update(b.array());
    }
    return prefix(set) + spec.student() + "-" + spec.labels() + "-s" + spec.seed()
        + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 20) + ".json";
  }

  /** How the names of every run on {@code set} begin: unique to the set within one evaluation. */
  static String prefix(TrainingSet set) {
    return set.name() + (set.ipc() == null ? "" : "-ipc" + set.ipc()) + "-d" + set.dataSeed() + "-";
  }

  /** The run kept under {@code name}, marked as resumed, if one finished before. */
  Optional<StudentRun> find(String name) {
    Path file = new Path(dir, name);
    try {
      FileSystem fs = file.getFileSystem(conf.get());
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(file)) {
        return Optional.of(StudentRun.fromJson(in).asResumed());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read a finished student run (delete the file to train it again)", e);
    }
  }

  void keep(String name, StudentRun run) {
    Path root = new Path(dir);
    try {
      FileReplacement.write(root.getFileSystem(conf.get()), root, name, run.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep a finished student run in " + dir, e);
    }
  }

  /** How many runs are kept (0 when the directory does not exist yet). */
  long count() {
    Path root = new Path(dir);
    try {
      FileSystem fs = root.getFileSystem(conf.get());
      return fs.exists(root) ? fs.listStatus(root, p -> p.getName().endsWith(".json")).length : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static void text(MessageDigest sha, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
    sha.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
