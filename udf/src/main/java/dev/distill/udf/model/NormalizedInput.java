package dev.distill.udf.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.distill.udf.image.Normalization;

/**
 * Images in [0, 1] (N × C × H × W) as a network trained with {@code norm} expects them: (x − mean) / std
 * per channel. The result, like every op's, joins {@code images}' manager.
 */
public final class NormalizedInput {
  private NormalizedInput() {}

  public static NDArray of(NDArray images, Normalization norm) {
    NDManager m = images.getManager();
    Shape perChannel = new Shape(1, norm.channels(), 1, 1);
    return images.sub(m.create(norm.mean(), perChannel)).div(m.create(norm.std(), perChannel));
  }
}
