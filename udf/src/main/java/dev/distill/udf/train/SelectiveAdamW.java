package dev.distill.udf.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AdamW (decoupled weight decay) that decays only weight tensors of two or more dimensions, as
 * RDED's student recipe does: biases and normalisation parameters are not decayed. DJL's AdamW
 * decays every parameter, which is why this exists.
 */
public final class SelectiveAdamW extends Optimizer {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final Tracker learningRate;
  private final float decay;
  // Moment estimates per parameter and device, attached to the weight's own manager (freed with
  // the model). Not Optimizer.withDefaultState: it detaches the state to the system manager, whose
  // device is the GPU whenever the machine has one, so a CPU student's scalar ops (m.muli(β)) then
  // made their operand on the GPU and failed (seen on the lent H100).
  private final Map<String, NDArray> means = new ConcurrentHashMap<>();
  private final Map<String, NDArray> variances = new ConcurrentHashMap<>();

  public SelectiveAdamW(Tracker learningRate, float weightDecay) {
    super(new Builder());
    this.learningRate = learningRate;
    this.decay = weightDecay;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    // In-place updates of a leaf that requires grad are refused while autograd records, and the
    // gradient collector restores torch's default (recording) when it closes: pause it here.
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      updateInPlace(parameterId, weight, grad);
      // Gradients accumulate across backward passes; DJL's own optimizers clear them after the
      // update (inside their native op), so this one must as well.
      JniUtils.zeroGrad((PtNDArray) weight);
    } finally {
      JniUtils.setGradMode(recording);
    }
  }

  private void updateInPlace(String parameterId, NDArray weight, NDArray grad) {
    int t = updateCount(parameterId);
    float lr = learningRate.getNewValue(t);
    String key = parameterId + "@" + weight.getDevice();
    NDArray m = means.computeIfAbsent(key, k -> weight.zerosLike());
    NDArray v = variances.computeIfAbsent(key, k -> weight.zerosLike());
    // Every temporary is closed here: results of NDArray ops join the long-lived parameter manager.
    try (NDArray g1 = grad.mul(1 - BETA1)) {
      m.muli(BETA1).addi(g1);
    }
    try (NDArray g2 = grad.square()) {
      v.muli(BETA2).addi(g2.muli(1 - BETA2));
    }
    if (weight.getShape().dimension() >= 2 && decay > 0) {
      weight.muli(1 - lr * decay);
    }
    float c1 = (float) (1 - Math.pow(BETA1, t));
    float c2 = (float) (1 - Math.pow(BETA2, t));
    try (NDArray vHat = v.div(c2); NDArray denom = vHat.sqrt(); NDArray step = m.div(c1)) {
      denom.addi(EPSILON);
      step.divi(denom).muli(lr);
      weight.subi(step);
    }
  }

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
