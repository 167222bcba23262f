package dev.distill.udf.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Instance normalisation with a per-channel affine transform: each image's channel is normalised
 * over its own pixels. This is the "instancenorm" of the dataset-distillation ConvNet (a GroupNorm
 * with one group per channel in the reference code); DJL has no such block. The mean is taken over
 * a flattened spatial axis because the PyTorch engine does not reduce over several axes at once.
 */
public final class InstanceNorm extends AbstractBlock {
  private static final byte VERSION = 1;
  private static final float EPSILON = 1e-5f;

  private final Parameter gamma;
  private final Parameter beta;

  public InstanceNorm() {
    super(VERSION);
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    long channels = inputShapes[0].get(1);
    gamma.setShape(new Shape(channels));
    beta.setShape(new Shape(channels));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape shape = x.getShape();
    long n = shape.get(0);
    long c = shape.get(1);
    NDArray flat = x.reshape(n, c, shape.size() / (n * c));
    NDArray centred = flat.sub(flat.mean(new int[] {2}, true));
    NDArray std = centred.square().mean(new int[] {2}, true).add(EPSILON).sqrt();
    NDArray normalised = centred.div(std).reshape(shape);
    NDArray g = store.getValue(gamma, x.getDevice(), training).reshape(1, c, 1, 1);
    NDArray b = store.getValue(beta, x.getDevice(), training).reshape(1, c, 1, 1);
    return new NDList(normalised.mul(g).add(b));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
