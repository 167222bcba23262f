package dev.distill.job.output;

/** The names of everything in a distilled output directory, in one place. */
public final class OutputFiles {
  private OutputFiles() {}

  /** {@code images/<index>_<class>/<n>.png}: what PyTorch's ImageFolder and Spark's format("image") read. */
  public static final String IMAGES = "images";
  /** What a student needs: id, label, class, path, soft_label (and patch_soft_labels). */
  public static final String LABELS = "labels.parquet";
  /**
   * id and the methods' provenance columns (source images, crop boxes, scores, colours): not needed
   * to train, so not counted in the bytes a distilled set is compared by.
   */
  public static final String PROVENANCE = "provenance.parquet";
  /** INFER's compensators: id, slot, teacher, data (int8 values after a float32 scale). */
  public static final String COMPENSATORS = "compensators.parquet";
  public static final String CLASSES = "classes.json";
  public static final String REJECTS = "rejects.jsonl";
  /** The settings that determine the output (what config_sha256 hashes). */
  public static final String CONFIG = "config.conf";
  /** Written last: its presence marks a complete output. */
  public static final String MANIFEST = "manifest.json";
  public static final String EVALUATION = "evaluation.json";
  public static final String REPORT = "report.html";
  /** {@code observers/<architecture>/}: observers the run trained. */
  public static final String OBSERVERS = "observers";
  /** Scratch space in the staging directory; never committed. */
  public static final String WORK = "_work";
}
