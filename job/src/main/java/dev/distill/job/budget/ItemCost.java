package dev.distill.job.budget;

/**
 * What one stored item costs under each accounting, known before anything is written. A method's
 * cost model is the cost of the items it stores per class and unit of budget (RDED: one image and
 * its label vectors).
 */
public record ItemCost(String kind, long strictBytes, long paperBytes, long onDiskBytes, long labelBytes) {

  public ItemCost {
    if (strictBytes <= 0 || paperBytes < 0 || onDiskBytes <= 0) {
      throw new IllegalArgumentException("an item costs a positive number of bytes: " + kind);
    }
  }

  /**
   * An item whose on-disk cost is not measured yet (its strict cost stands in), of which
   * {@code labelBytes} are soft-label payload.
   */
  public ItemCost(String kind, long strictBytes, long paperBytes, long labelBytes) {
    this(kind, strictBytes, paperBytes, strictBytes, labelBytes);
  }

  /** This item with its on-disk cost measured: {@code fileBytes} as written plus its label payload. */
  public ItemCost measuredOnDisk(long fileBytes) {
    long bytes = fileBytes + labelBytes;
    return new ItemCost(kind + ", " + bytes + " bytes on disk (measured)", strictBytes, paperBytes, bytes, labelBytes);
  }

  /** An 8-bit image of {@code channels × height × width} with {@code labelVectors} float32 soft labels. */
  public static ItemCost fullDepthImage(ImageShape shape, int labelVectors) {
    long pixels = shape.rawBytes();
    return new ItemCost("8-bit image + " + labelVectors + " label vector" + (labelVectors == 1 ? "" : "s"),
        pixels + labelVectors * shape.labelBytes(), pixels, labelVectors * shape.labelBytes());
  }

  /**
   * An image stored as indices into a K-colour palette (AutoPalette): ⌈log2 K⌉ bits a pixel, the
   * palette (K entries of {@code channels} bytes), and its label vectors. The paper's accounting
   * charges 1 / 2^(8 − ⌈log2 K⌉) of an 8-bit image and nothing for the palette or labels.
   */
  public static ItemCost kColourImage(ImageShape shape, int colours, int labelVectors) {
    if (colours < 2 || colours > 256) {
      throw new IllegalArgumentException("a palette has 2 to 256 colours, got " + colours);
    }
    int bits = 32 - Integer.numberOfLeadingZeros(colours - 1); // ⌈log2 K⌉
    long indices = ((long) shape.height() * shape.width() * bits + 7) / 8;
    long palette = (long) colours * shape.channels();
    return new ItemCost(colours + "-colour image + " + labelVectors + " label vector" + (labelVectors == 1 ? "" : "s"),
        indices + palette + labelVectors * shape.labelBytes(), shape.rawBytes() >> (8 - bits),
        labelVectors * shape.labelBytes());
  }

  /** This item together with {@code other}, as one unit. */
  public ItemCost plus(ItemCost other) {
    return new ItemCost(kind + " + " + other.kind, strictBytes + other.strictBytes, paperBytes + other.paperBytes,
        onDiskBytes + other.onDiskBytes, labelBytes + other.labelBytes);
  }

  public long bytes(Accounting accounting) {
    return switch (accounting) {
      case STRICT -> strictBytes;
      case PAPER -> paperBytes;
      case ON_DISK -> onDiskBytes;
    };
  }
}
