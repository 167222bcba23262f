package dev.distill.udf.train;

import ai.djl.ndarray.NDArray;

/**
 * Multiplication and division by a number inside a graph that will be differentiated.
 *
 * <p>Why not {@code x.mul(2f)}: DJL's PyTorch engine (0.35) turns the number into a CPU tensor over
 * a direct {@code ByteBuffer} it does not copy, and closes that array as soon as the op returns.
 * Autograd keeps the tensor for the backward pass (d(x·k)/dx = k) without owning its memory, so a
 * garbage collection in between frees the buffer and the gradient is read from freed memory: NaN or
 * a different result, now and then, run to run. Here the number is an array of {@code x}'s manager,
 * which holds it, and its buffer, until the manager closes, after the backward pass.
 * Ops outside a recorded graph (an optimiser's update) run at once and need none of this.
 */
public final class ScalarOps {
  private ScalarOps() {}

  /** x · k, safe to differentiate. */
  public static NDArray mul(NDArray x, float k) {
    return x.mul(constant(x, k));
  }

  /** x / k, safe to differentiate. */
  public static NDArray div(NDArray x, float k) {
    return x.div(constant(x, k));
  }

  private static NDArray constant(NDArray like, float k) {
    return like.getManager().create(k).toType(like.getDataType(), false);
  }
}
