package dev.distill.job.budget;

/** The shape of the images a run stores, and the width of a soft-label vector. */
public record ImageShape(int channels, int height, int width, int classes) {

  /** Raw 8-bit size of one image: what {@code distill.ipc} counts in. */
  public long rawBytes() {
    return (long) channels * height * width;
  }

  /** One float32 soft-label (logit) vector. */
  public long labelBytes() {
    return (long) classes * Float.BYTES;
  }
}
