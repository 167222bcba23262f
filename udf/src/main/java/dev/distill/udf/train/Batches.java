package dev.distill.udf.train;

/**
 * Where one epoch's batches start: consecutive slices of {@code b} images, except that a tail
 * shorter than a tenth of a batch joins the slice before it. A tail of one image would otherwise be
 * a batch of its own every epoch, and BatchNorm would take every such step's statistics from one
 * image: on Fashion-MNIST that cost ≈ 7 points of test accuracy (bench/results/tail-batch). Tails of
 * a tenth or more are kept as they are, so sets without a tiny tail train exactly as before.
 */
final class Batches {

  private Batches() {}

  /**
   * @return the batch boundaries {0, s₁, …, n}: batch i holds positions [bounds[i], bounds[i+1])
   */
  static int[] bounds(int n, int b) {
    if (n < 1 || b < 1) {
      throw new IllegalArgumentException("need at least one image and a batch size ≥ 1, got n = " + n + ", b = " + b);
    }
    int full = n / b;
    int tail = n % b;
    boolean merge = tail > 0 && full > 0 && tail * 10 < b;
    int count = full + (tail > 0 && !merge ? 1 : 0);
    int[] bounds = new int[count + 1];
    for (int i = 1; i < count; i++) {
      bounds[i] = i * b;
    }
    bounds[count] = n;
    return bounds;
  }

  /** The largest batch {@link #bounds} makes: what the buffers must hold. */
  static int largest(int[] bounds) {
    int largest = 0;
    for (int i = 1; i < bounds.length; i++) {
      largest = Math.max(largest, bounds[i] - bounds[i - 1]);
    }
    return largest;
  }
}
