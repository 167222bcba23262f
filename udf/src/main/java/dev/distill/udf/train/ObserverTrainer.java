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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.model.LogitsTranslator;
import dev.distill.udf.model.TorchDefaultInit;
import dev.distill.udf.random.StableRandom;
import java.util.SplittableRandom;

/**
 * Trains an observer from scratch: Adam (AdamW with a weight decay) with a cosine-decayed learning
 * rate, random horizontal flips, ±2-pixel shifts and optional random erasing (so the observer has
 * seen off-centre, partial views, which is what it will score). Weight initialisation, order and
 * augmentation all derive from the seed.
 */
public final class ObserverTrainer {
  private static final int MAX_SHIFT = 2;

  private final Architecture architecture;
  private final Normalization normalization;
  private final TrainingOptions options;
  private final Device device;

  public ObserverTrainer(Architecture architecture, Normalization normalization,
      TrainingOptions options, Device device) {
    this.architecture = architecture;
    this.normalization = normalization;
    this.options = options;
    this.device = device;
  }

  /** Hears each finished epoch, with the model as it is then (to measure it; not to keep it). */
  @FunctionalInterface
  public interface EpochListener {
    void done(int epoch, Model model);
  }

  /**
   * Returns the trained model (caller closes it). {@code onEpoch} hears each finished epoch.
   */
  public Model train(ImageSet data, int classes, EpochListener onEpoch) {
    Model model = Model.newInstance("observer", device, "PyTorch");
    model.setBlock(architecture.newBlock(data.channels(), data.height(), data.width(), classes));
    int steps = options.epochs() * Math.max(1, data.size() / options.batchSize());
    Tracker cosine = CosineTracker.builder()
        .setBaseValue(options.learningRate())
        .optFinalValue(options.learningRate() * 0.01f)
        .setMaxUpdates(steps)
        .build();
    // Without decay, DJL's fused Adam (the first observers' recipe, bit for bit).
    Optimizer adam = options.weightDecay() > 0
        ? new SelectiveAdamW(cosine, options.weightDecay())
        : Optimizer.adam().optLearningRateTracker(cosine).build();
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(adam)
        .optDevices(new Device[] {device});
    int b = options.batchSize();
    try (Trainer trainer = model.newTrainer(config)) {
      synchronized (EngineLock.LOCK) {
        Engine.getEngine("PyTorch").setRandomSeed((int) options.seed());
        trainer.initialize(new Shape(b, data.channels(), data.height(), data.width()));
        TorchDefaultInit.apply(model.getBlock(), options.seed());
      }
      float[] batch = new float[b * data.imageBytes()];
      float[] labels = new float[b];
      Progress progress = new Progress("observer " + architecture.name(), "images",
          (long) options.epochs() * (data.size() / b) * b, 60);
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        int[] order = StableRandom.permutation(data.size(), StableRandom.of(options.seed(), "observer-order", "" + epoch));
        // Drop the ragged last batch: BatchNorm statistics on a handful of images are noise.
        for (int start = 0; start + b <= data.size(); start += b) {
          for (int i = 0; i < b; i++) {
            int index = order[start + i];
            augment(data, index, epoch, batch, i * data.imageBytes());
            labels[i] = data.label(index);
          }
          step(trainer, batch, labels, data);
          progress.advance(b);
        }
        onEpoch.done(epoch + 1, model);
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return model;
  }

  private void step(Trainer trainer, float[] batch, float[] labels, ImageSet data) {
    synchronized (EngineLock.LOCK) {
      try (NDManager scope = trainer.getManager().newSubManager();
          GradientCollector collector = trainer.newGradientCollector()) {
        NDArray x = scope.create(batch, new Shape(labels.length, data.channels(), data.height(), data.width()));
        NDArray y = scope.create(labels);
        NDList out = trainer.forward(new NDList(x));
        NDArray loss = trainer.getLoss().evaluate(new NDList(y), out);
        collector.backward(loss);
      }
      trainer.step();
    }
  }

  private void augment(ImageSet data, int index, int epoch, float[] dest, int offset) {
    SplittableRandom r = StableRandom.of(options.seed(), "observer-augment-" + epoch, "" + index);
    boolean flip = r.nextBoolean();
    int dx = r.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
    int dy = r.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
    int h = data.height();
    int w = data.width();
    normalization.write(data.image(index), h, w, dest, offset);
    float[] plane = new float[h * w];
    for (int c = 0; c < data.channels(); c++) {
      int base = offset + c * h * w;
      System.arraycopy(dest, base, plane, 0, h * w);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int sy = y - dy;
          int sx = flip ? (w - 1 - (x - dx)) : x - dx;
          boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
          dest[base + y * w + x] = inside ? plane[sy * w + sx] : 0f;
        }
      }
    }
    RandomErasing.apply(dest, offset, data.channels(), h, w, options.erasing(), r);
  }

  /** Top-1 accuracy of {@code model} on {@code data}, evaluated in inference mode. */
  public static double accuracy(Model model, Normalization normalization, ImageSet data, int batchSize) {
    int chw = data.imageBytes();
    float[] batch = new float[batchSize * chw];
    long correct = 0;
    try (Predictor<LogitsTranslator.Batch, float[]> predictor = model.newPredictor(new LogitsTranslator())) {
      for (int start = 0; start < data.size(); start += batchSize) {
        int n = Math.min(batchSize, data.size() - start);
        for (int i = 0; i < n; i++) {
          normalization.write(data.image(start + i), data.height(), data.width(), batch, i * chw);
        }
        float[] logits = predictor.predict(
            new LogitsTranslator.Batch(batch, n, data.channels(), data.height(), data.width()));
        int classes = logits.length / n;
        for (int i = 0; i < n; i++) {
          if (argmax(logits, i * classes, classes) == data.label(start + i)) {
            correct++;
          }
        }
      }
    } catch (TranslateException e) {
      throw new IllegalStateException("evaluation failed", e);
    }
    return data.size() == 0 ? Double.NaN : (double) correct / data.size();
  }

  static int argmax(float[] v, int offset, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (v[offset + i] > v[offset + best]) {
        best = i;
      }
    }
    return best;
  }

}
