package dev.distill.udf.palette;

import ai.djl.ndarray.NDArray;
import dev.distill.udf.train.ScalarOps;

/**
 * AutoPalette's losses on the palette network's assignment m (B × K × P: K buckets, P pixels; the
 * official code's forms, see ALGORITHMS.md §2.3), plus the task loss that keeps the observer's
 * judgement of the re-coloured image.
 */
public final class PaletteLosses {
  private PaletteLosses() {}

  /** L_m = −mean_{b,k} max_p m[b,k,p]: every bucket should own at least one pixel outright. */
  public static NDArray maxColour(NDArray m) {
    return m.max(new int[] {2}).mean().neg();
  }

  /**
   * L_b = −mean_b H(q_b) with q_b,k = mean_p m[b,k,p] and H(q) = −Σ_k q_k log(q_k + 1e-16): buckets
   * used in balanced proportions.
   */
  public static NDArray balance(NDArray m) {
    NDArray q = m.mean(new int[] {2});
    NDArray entropy = q.mul(q.add(1e-16f).log()).sum(new int[] {1}).neg();
    return entropy.mean().neg();
  }

  /**
   * L_a = mean_b ‖Â − Â′‖²_F / n, where A = h·hᵀ (n × n, "do these two sampled pixels share a bucket")
   * for the network's soft assignment h (B × n × K) and A′ the same for {@code target}, the one-hot
   * median-cut assignment of the same pixels; hats are row-wise L2 normalisation. Invariant to how
   * the buckets are numbered.
   */
  public static NDArray alignment(NDArray h, NDArray target) {
    long b = h.getShape().get(0);
    long n = h.getShape().get(1);
    NDArray a = rowNormalised(h.batchMatMul(h.transpose(0, 2, 1)));
    NDArray t = rowNormalised(target.batchMatMul(target.transpose(0, 2, 1)));
    return ScalarOps.div(a.sub(t).square().reshape(b, n * n).sum(new int[] {1}), n).mean();
  }

  private static NDArray rowNormalised(NDArray a) {
    return a.div(a.norm(new int[] {2}, true).add(1e-12f));
  }

  /**
   * KL(p ‖ q) averaged over the batch, p = softmax of {@code reference} logits (no gradient flows
   * into it), q = softmax of {@code logits}: the observer should judge the re-coloured image as it
   * judged the original.
   */
  public static NDArray task(NDArray logits, NDArray reference) {
    NDArray logP = reference.stopGradient().logSoftmax(1);
    return logP.exp().mul(logP.sub(logits.logSoftmax(1))).sum(new int[] {1}).mean();
  }
}
