package dev.distill.udf.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.NormalizedInput;
import dev.distill.udf.random.StableRandom;
import dev.distill.udf.train.EngineLock;
import dev.distill.udf.train.Progress;
import dev.distill.udf.train.ScalarOps;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Optimises one universal feature compensator (INFER, Zhang et al., ICLR 2025, ALGORITHMS.md §3.3):
 * a zero-initialised image-shaped tensor u added to one natural image of every class, so that a
 * frozen teacher classifies each composite x_c + u as its own class c and the composite batch
 * matches the teacher's BatchNorm statistics:
 *
 * <pre>loss(u) = CE(f(jitter(x + u)), c) + r_bn · Σ_l w_l (‖μ_l − μ_l^run‖₂ + ‖σ²_l − σ²_l^run‖₂)</pre>
 *
 * with w = 10 for the first BatchNorm layer and 1 for the others, batch statistics over the composite
 * batch (across classes), a random circular shift as jitter, Adam (β 0.5 / 0.9) with cosine decay to
 * zero, and the final iterate kept. The teacher runs in inference mode (running statistics) and its
 * parameters are frozen; only u has a gradient. BatchNorm layers are found along nested
 * {@link SequentialBlock}s; other composite blocks (a residual block) run as one unit.
 */
public final class CompensatorTrainer {
  /** The paper's settings (CIFAR script): 1000 iterations, lr 0.25, r_bn 1, first layer ×10, 4 px shifts. */
  public record Options(int iterations, float learningRate, float bnWeight, float firstBnWeight, int maxShift,
      long seed) implements Serializable {}

  /** u in pixel units (layout channel × row × column) and the mean loss of each tenth of the run. */
  public record Result(float[] compensator, List<float[]> lossByTenth) implements Serializable {}

  private static final float BETA1 = 0.5f;
  private static final float BETA2 = 0.9f;
  private static final float EPS = 1e-8f;

  private final Options options;

  public CompensatorTrainer(Options options) {
    this.options = options;
  }

  /**
   * @param naturals one image per class in [0, 1], class c at row c: {@code classes × c × h × w} values
   * @param teacher the teacher (its parameters are frozen here) and its input normalisation
   * @param stream names this (slot, teacher) pair's random shifts
   */
  public Result train(float[] naturals, int classes, int channels, int height, int width, Block teacher,
      Normalization norm, NDManager parent, String stream) {
    List<float[]> tenths = new ArrayList<>();
    teacher.freezeParameters(true);
    try (NDManager manager = parent.newSubManager()) {
      NDArray x = manager.create(naturals, new Shape(classes, channels, height, width));
      NDArray u = manager.zeros(new Shape(1, channels, height, width));
      NDArray m = manager.zeros(u.getShape());
      NDArray v = manager.zeros(u.getShape());
      NDArray onehot = manager.eye(classes);
      SplittableRandom random = StableRandom.of(options.seed(), "infer-jitter", stream);
      float[] sums = new float[3];
      int inTenth = 0;
      int tenth = Math.max(1, options.iterations() / 10);
      Progress progress = new Progress("compensator " + stream, "iterations", options.iterations(), 60);
      for (int it = 0; it < options.iterations(); it++) {
        int dy = random.nextInt(2 * options.maxShift() + 1) - options.maxShift();
        int dx = random.nextInt(2 * options.maxShift() + 1) - options.maxShift();
        try (NDManager step = manager.newSubManager()) {
          NDArray g;
          float[] terms;
          synchronized (EngineLock.LOCK) {
            NDArray w = u.duplicate();
            w.tempAttach(step);
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
              // w first: results join the first operand's manager, the step's, and are freed with it.
              NDArray composite = NormalizedInput.of(roll(roll(w.add(x), dy, 2), dx, 3), norm);
              List<NDArray> bnTerms = new ArrayList<>();
              NDArray logits = forward(teacher, new ParameterStore(step, false), composite, bnTerms);
              NDArray ce = ownClassCrossEntropy(logits, onehot);
              NDArray bn = step.zeros(new Shape());
              for (int l = 0; l < bnTerms.size(); l++) {
                bn = bn.add(ScalarOps.mul(bnTerms.get(l), l == 0 ? options.firstBnWeight() : 1f));
              }
              NDArray loss = ce.add(ScalarOps.mul(bn, options.bnWeight()));
              collector.backward(loss);
              terms = new float[] {loss.getFloat(), ce.getFloat(), bn.getFloat()};
            }
            requireFinite(terms, stream, it + 1);
            g = w.getGradient().duplicate();
          }
          adam(u, m, v, g, it + 1, step);
          for (int t = 0; t < 3; t++) {
            sums[t] += terms[t];
          }
        }
        inTenth++;
        progress.advance(1);
        if ((it + 1) % tenth == 0 || it + 1 == options.iterations()) {
          tenths.add(new float[] {sums[0] / inTenth, sums[1] / inTenth, sums[2] / inTenth});
          sums = new float[3];
          inTenth = 0;
        }
      }
      float[] compensator = u.reshape(channels * height * width).toFloatArray();
      for (float value : compensator) {
        if (!Float.isFinite(value)) {
          throw new IllegalStateException("compensator " + stream + ": finite losses for all "
              + options.iterations() + " iterations but a non-finite value in u; refusing to store it");
        }
      }
      return new Result(compensator, tenths);
    }
  }

  /**
   * A NaN or infinite loss (a teacher with non-finite weights, non-finite pixels) would turn u into
   * NaN and every composite built from it; stop at the first such iteration and say where.
   */
  private static void requireFinite(float[] terms, String stream, int iteration) {
    if (!Float.isFinite(terms[0])) {
      throw new IllegalStateException(String.format(
          "compensator %s: the loss is not finite at iteration %d (cross-entropy %s, BatchNorm term %s); "
              + "check the teacher's weights and the natural images for NaN or infinite values",
          stream, iteration, terms[1], terms[2]));
    }
  }

  /**
   * The teacher's accuracy and mean cross-entropy on {@code images} (in [0, 1], image c of class c,
   * not jittered): how well a compensator works as optimised (x + u) and as stored and rebuilt.
   */
  public static float[] score(float[] images, int classes, int channels, int height, int width, Block teacher,
      Normalization norm, NDManager parent) {
    try (NDManager m = parent.newSubManager()) {
      NDArray x = NormalizedInput.of(m.create(images, new Shape(classes, channels, height, width)), norm);
      NDArray logits;
      synchronized (EngineLock.LOCK) {
        logits = teacher.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      }
      NDArray labels = m.arange(0, classes, 1, ai.djl.ndarray.types.DataType.INT64);
      float accuracy = logits.argMax(1).eq(labels).sum().toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
          .getFloat() / classes;
      return new float[] {accuracy, ownClassCrossEntropy(logits, m.eye(classes)).getFloat()};
    }
  }

  /** Mean cross-entropy of row c of {@code logits} against class c ({@code onehot}: the identity). */
  private static NDArray ownClassCrossEntropy(NDArray logits, NDArray onehot) {
    return ScalarOps.div(logits.logSoftmax(1).mul(onehot).sum(), -logits.getShape().get(0));
  }

  /** One Adam step on u (in place) at the cosine-decayed learning rate of update {@code t} (1-based). */
  private void adam(NDArray u, NDArray m, NDArray v, NDArray g, int t, NDManager step) {
    float lr = (float) (options.learningRate() * 0.5 * (1 + Math.cos(Math.PI * (t - 1) / options.iterations())));
    // Every temporary starts from g, which lives in the step's manager, so it is freed with it.
    m.muli(BETA1).addi(g.mul(1 - BETA1));
    v.muli(BETA2).addi(g.square().mul(1 - BETA2));
    NDArray mHat = g.zerosLike().add(m).div(1 - Math.pow(BETA1, t));
    NDArray vHat = g.zerosLike().add(v).div(1 - Math.pow(BETA2, t));
    u.subi(mHat.div(vHat.sqrt().add(EPS)).mul(lr));
  }

  /**
   * The teacher's forward pass, child by child along sequential blocks, adding for each BatchNorm
   * layer ‖μ − μ^run‖₂ + ‖σ² − σ²^run‖₂ of its input batch to {@code bnTerms}.
   */
  private static NDArray forward(Block block, ParameterStore ps, NDArray input, List<NDArray> bnTerms) {
    if (block instanceof SequentialBlock seq) {
      NDArray x = input;
      for (Block child : seq.getChildren().values()) {
        x = forward(child, ps, x, bnTerms);
      }
      return x;
    }
    if (block instanceof BatchNorm bn) {
      long ch = input.getShape().get(1);
      NDArray flat = input.transpose(1, 0, 2, 3).reshape(ch, -1);
      NDArray mu = flat.mean(new int[] {1});
      NDArray var = flat.sub(mu.reshape(ch, 1)).square().mean(new int[] {1});
      NDArray runMean = bn.getParameters().get("runningMean").getArray();
      NDArray runVar = bn.getParameters().get("runningVar").getArray();
      bnTerms.add(mu.sub(runMean).norm().add(var.sub(runVar).norm()));
    }
    return block.forward(ps, new NDList(input), false).singletonOrThrow();
  }

  /** A circular shift by {@code shift} along {@code axis} (2: rows, 3: columns). */
  static NDArray roll(NDArray x, int shift, int axis) {
    long n = x.getShape().get(axis);
    int s = (int) (((shift % n) + n) % n);
    if (s == 0) {
      return x;
    }
    String head = axis == 2 ? ":, :, %d:, :" : ":, :, :, %d:";
    String tail = axis == 2 ? ":, :, :%d, :" : ":, :, :, :%d";
    return x.get(String.format(head, n - s)).concat(x.get(String.format(tail, n - s)), axis);
  }
}
