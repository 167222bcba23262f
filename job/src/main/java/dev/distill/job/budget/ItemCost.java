package dev.distill.job.budget;

/**
 * What one stored item costs under each accounting, known before anything is written. A method's
 * cost model is the cost of the items it stores per class and unit of budget (RDED: one image and
 * its label vectors).
 */
public record ItemCost(String kind, long strictBytes, long paperBytes) {

  public ItemCost {
    if (strictBytes <= 0 || paperBytes < 0) {
      throw new IllegalArgumentException("an item costs a positive number of bytes: " + kind);
    }
  }

  /** An 8-bit image of {@code channels × height × width} with {@code labelVectors} float32 soft labels. */
  public static ItemCost fullDepthImage(ImageShape shape, int labelVectors) {
    long pixels = shape.rawBytes();
    return new ItemCost("8-bit image + " + labelVectors + " label vector" + (labelVectors == 1 ? "" : "s"),
        pixels + labelVectors * shape.labelBytes(), pixels);
  }

  public long bytes(Accounting accounting) {
    return accounting == Accounting.STRICT ? strictBytes : paperBytes;
  }
}
