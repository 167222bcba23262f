package dev.distill.job.budget;

/**
 * How stored items are charged against the byte budget. Every number the job prints or writes
 * names the accounting it uses.
 */
public enum Accounting {
  /**
   * Every stored byte: pixels at their stored bit depth (raw, before PNG compression), palettes,
   * compensators, and the soft-label vectors. What a user really ships.
   */
  STRICT,
  /**
   * The papers' convention: an image costs its 8-bit raw size divided by AutoPalette's 2^(8 − n)
   * for an n-bit image, and labels are free (IPC counts images only).
   */
  PAPER,
  /**
   * The files as written (PNG or indexed PNG, after compression) plus each image's float32
   * soft-label payload: the planner estimates an item from a sample of training images stored the
   * method's way, the methods choose a quarter more than that buys, and the fit stage keeps per
   * class the longest prefix of them, in the order chosen, that fits the class's share.
   */
  ON_DISK;

  public static Accounting parse(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
