package dev.distill.udf.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.model.LogitsTranslator;
import dev.distill.udf.model.TorchDefaultInit;
import dev.distill.udf.random.StableRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Trains a fresh student on a (distilled) training set and measures it on a test split, following
 * RDED's evaluation: {@link StitchedAugmentation} for stitched images, horizontal flips, CutMix on every batch, targets from the stored soft labels,
 * the observer, or one-hot labels, loss = cross-entropy of softmax(z_s / T) against the target
 * (equal to RDED's KL up to a constant; no T² factor), SelectiveAdamW with the half-cosine
 * schedule, in the batches {@link Batches} cuts. All randomness derives from the seed.
 */
public final class StudentTrainer {

  /**
   * Test accuracy after each evaluated epoch (the best and the final one are what is reported), and
   * the final model's accuracy on the validation split (NaN without one): what choices are made on.
   */
  public record Result(List<Integer> evaluatedEpochs, List<Double> accuracies, double validationAccuracy) {
    public double best() {
      return accuracies.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    public double last() {
      return accuracies.isEmpty() ? Double.NaN : accuracies.get(accuracies.size() - 1);
    }
  }

  private final Architecture architecture;
  private final Normalization normalization;
  private final StudentOptions options;
  private final Device device;

  public StudentTrainer(Architecture architecture, Normalization normalization, StudentOptions options, Device device) {
    this.architecture = architecture;
    this.normalization = normalization;
    this.options = options;
    this.device = device;
  }

  /**
   * @param logits stored soft labels per image (row-major, classes wide); used in STATIC mode
   * @param teachers the teachers' predictors, whose mean logits are the targets in TEACHER mode
   * @param onEpoch hears each finished epoch (1-based), for progress
   */
  public Result train(ImageSet data, float[] logits, int classes,
      List<Predictor<LogitsTranslator.Batch, float[]>> teachers, ImageSet test, IntConsumer onEpoch) {
    return train(data, logits, classes, teachers, test, null, onEpoch);
  }

  /** As above, and scores the final model on {@code validation} (may be null). */
  public Result train(ImageSet data, float[] logits, int classes,
      List<Predictor<LogitsTranslator.Batch, float[]>> teachers, ImageSet test, ImageSet validation,
      IntConsumer onEpoch) {
    int n = data.size();
    int b = Math.min(options.batchSize(), n);
    int[] bounds = Batches.bounds(n, b);
    int steps = bounds.length - 1;
    int largest = Batches.largest(bounds);
    int chw = data.imageBytes();
    List<Integer> epochs = new ArrayList<>();
    List<Double> accuracies = new ArrayList<>();
    double validationAccuracy = Double.NaN;
    try (Model model = Model.newInstance("student", device, "PyTorch")) {
      model.setBlock(architecture.newBlock(data.channels(), data.height(), data.width(), classes));
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(new SelectiveAdamW(new HalfCosine(options.learningRate(), options.epochs(), steps),
              options.weightDecay()))
          .optDevices(new Device[] {device});
      try (Trainer trainer = model.newTrainer(config)) {
        synchronized (EngineLock.LOCK) {
          Engine.getEngine("PyTorch").setRandomSeed((int) options.seed());
          trainer.initialize(new Shape(b, data.channels(), data.height(), data.width()));
          TorchDefaultInit.apply(model.getBlock(), options.seed());
        }
        StitchedAugmentation augmentation = new StitchedAugmentation(options.factor());
        float[] batch = new float[largest * chw];
        float[] targets = new float[largest * classes];
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
          int[] order = StableRandom.permutation(n, StableRandom.of(options.seed(), "student-order", "" + epoch));
          for (int s = 0; s < steps; s++) {
            int start = bounds[s];
            int m = bounds[s + 1] - start;
            SplittableRandom random = StableRandom.of(options.seed(), "student-batch", epoch + "/" + start);
            int[] members = new int[m];
            for (int i = 0; i < m; i++) {
              members[i] = order[start + i];
              normalization.write(augmentation.apply(data.image(members[i]), random), data.height(), data.width(),
                  batch, i * chw);
              if (random.nextBoolean()) {
                flip(batch, i * chw, data.channels(), data.height(), data.width());
              }
            }
            CutMix.Mix mix = options.mixing().apply(batch, m, data.channels(), data.height(), data.width(), random);
            targets(members, mix, data, logits, classes, teachers, batch, m, targets);
            step(trainer, batch, targets, m, classes, data);
          }
          if (options.evaluatesAfter(epoch)) {
            epochs.add(epoch + 1);
            accuracies.add(ObserverTrainer.accuracy(model, normalization, test, 256));
          }
          onEpoch.accept(epoch + 1);
        }
        if (validation != null) {
          validationAccuracy = ObserverTrainer.accuracy(model, normalization, validation, 256);
        }
      }
    }
    return new Result(epochs, accuracies, validationAccuracy);
  }

  private float temperature() {
    return options.labels() == LabelMode.HARD ? 1f : options.temperature();
  }

  private void targets(int[] members, CutMix.Mix mix, ImageSet data, float[] logits, int classes,
      List<Predictor<LogitsTranslator.Batch, float[]>> teachers, float[] batch, int m, float[] out) {
    float t = temperature();
    switch (options.labels()) {
      case TEACHER -> {
        float[] z = meanLogits(teachers, new LogitsTranslator.Batch(batch, m, data.channels(), data.height(),
            data.width()));
        for (int i = 0; i < m; i++) {
          softmax(z, i * classes, classes, t, out, i * classes, 1f, false);
        }
      }
      case STATIC, HARD -> {
        float lambda = (float) mix.lambda();
        for (int i = 0; i < m; i++) {
          int own = members[i];
          int other = members[mix.partner()[i]];
          if (options.labels() == LabelMode.HARD) {
            java.util.Arrays.fill(out, i * classes, (i + 1) * classes, 0f);
            out[i * classes + data.label(own)] += lambda;
            out[i * classes + data.label(other)] += 1 - lambda;
          } else {
            options.mixing().target(logits, own, other, classes, mix.lambda(), t, out, i * classes);
          }
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  /** The teachers' logits on {@code batch}, averaged value by value (one teacher: exactly its own). */
  private static float[] meanLogits(List<Predictor<LogitsTranslator.Batch, float[]>> teachers,
      LogitsTranslator.Batch batch) {
    float[] sum = null;
    for (Predictor<LogitsTranslator.Batch, float[]> teacher : teachers) {
      float[] z;
      try {
        z = teacher.predict(batch);
      } catch (TranslateException e) {
        throw new IllegalStateException("teacher inference failed", e);
      }
      if (sum == null) {
        sum = z;
      } else {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += z[i];
        }
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= teachers.size();
    }
    return sum;
  }

  /** out[o..] (+)= weight × softmax(z[from..] / t). */
  static void softmax(float[] z, int from, int k, float t, float[] out, int o, float weight, boolean add) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      max = Math.max(max, z[from + i] / t);
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += Math.exp(z[from + i] / t - max);
    }
    for (int i = 0; i < k; i++) {
      float p = (float) (weight * Math.exp(z[from + i] / t - max) / sum);
      out[o + i] = add ? out[o + i] + p : p;
    }
  }

  private void step(Trainer trainer, float[] batch, float[] targets, int m, int classes, ImageSet data) {
    synchronized (EngineLock.LOCK) {
      try (NDManager scope = trainer.getManager().newSubManager()) {
        NDArray x = scope.create(java.nio.FloatBuffer.wrap(batch, 0, m * data.imageBytes()),
            new Shape(m, data.channels(), data.height(), data.width()));
        NDArray y = scope.create(java.nio.FloatBuffer.wrap(targets, 0, m * classes), new Shape(m, classes));
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray z = trainer.forward(new NDList(x)).singletonOrThrow();
          NDArray logp = ScalarOps.div(z, temperature()).logSoftmax(1);
          NDArray loss = logp.mul(y).sum(new int[] {1}).neg().mean();
          collector.backward(loss);
        }
        trainer.step();
      }
    }
  }

  private static void flip(float[] batch, int offset, int channels, int h, int w) {
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        int row = offset + (c * h + y) * w;
        for (int x = 0; x < w / 2; x++) {
          float t = batch[row + x];
          batch[row + x] = batch[row + w - 1 - x];
          batch[row + w - 1 - x] = t;
        }
      }
    }
  }
}
