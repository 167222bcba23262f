package dev.distill.udf.palette;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.NormalizedInput;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.model.TorchDefaultInit;
import dev.distill.udf.random.StableRandom;
import dev.distill.udf.train.EngineLock;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.ScalarOps;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains AutoPalette's palette network on a set of images: each iteration takes a random batch,
 * computes the soft assignment m, the soft palette (each bucket's m-weighted mean colour) and the
 * soft re-coloured image, and minimises
 * {@code weights.task·KL(observer(x) ‖ observer(x̃)) + α·L_m + β·L_b + γ·L_a} with SGD (momentum,
 * weight decay, learning rate ×0.1 at half-way), as the official code does for its palette net.
 * The frozen observer's gradient flows back to the network through x̃.
 */
public final class PaletteTrainer {

  /** Hyper-parameters; the paper's: hidden 256, α = β = 1, γ = 3, SGD lr 0.05, momentum 0.5, wd 5e-4. */
  public record Options(int colours, int hidden, int iterations, int batch, float learningRate, float momentum,
      float weightDecay, double pixelFraction, float maxColourWeight, float balanceWeight, float alignmentWeight,
      float taskWeight, long seed) implements java.io.Serializable {
    public Options withSeed(long value) {
      return new Options(colours, hidden, iterations, batch, learningRate, momentum, weightDecay, pixelFraction,
          maxColourWeight, balanceWeight, alignmentWeight, taskWeight, value);
    }
  }

  /** The trained network and its loss terms, averaged over each tenth of the iterations. */
  public record Result(PaletteNetwork network, List<float[]> lossByTenth) implements java.io.Serializable {}

  private final Options options;
  private final Device device;

  public PaletteTrainer(Options options, Device device) {
    this.options = options;
    this.device = device;
  }

  /**
   * @param observer the frozen observer's network (null: no task loss) and its input normalisation
   */
  public Result train(ImageSet images, Block observer, Normalization observerNorm) {
    int c = images.channels();
    int h = images.height();
    int w = images.width();
    int k = options.colours();
    int pixels = h * w;
    int sampled = (int) Math.max(1, Math.round(options.pixelFraction() * pixels));
    int batch = Math.min(options.batch(), images.size());
    List<float[]> tenths = new ArrayList<>();
    try (Model model = Model.newInstance("palette", device, "PyTorch")) {
      model.setBlock(new SequentialBlock()
          .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(options.hidden()).build())
          .add(Activation.reluBlock())
          .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(k).optBias(false).build()));
      Optimizer sgd = Optimizer.sgd()
          .setLearningRateTracker(stepDecay(options.learningRate(), options.iterations() / 2))
          .optMomentum(options.momentum())
          .optWeightDecays(options.weightDecay())
          .build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()) // the loss is computed here
          .optOptimizer(sgd).optDevices(new Device[] {device});
      try (Trainer trainer = model.newTrainer(config)) {
        synchronized (EngineLock.LOCK) {
          Engine.getEngine("PyTorch").setRandomSeed((int) options.seed());
          trainer.initialize(new Shape(batch, c, h, w));
          TorchDefaultInit.apply(model.getBlock(), options.seed());
        }
        if (observer != null) {
          observer.freezeParameters(true);
        }
        float[] sums = new float[5];
        int inTenth = 0;
        for (int it = 0; it < options.iterations(); it++) {
          SplittableRandom random = StableRandom.of(options.seed(), "palette-batch", "" + it);
          int[] members = StableRandom.permutation(images.size(), random);
          try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray[] terms = step(trainer, sub, images, java.util.Arrays.copyOf(members, batch), sampled, observer,
                observerNorm, random);
            for (int t = 0; t < 5; t++) {
              sums[t] += terms[t].getFloat();
            }
          }
          trainer.step();
          inTenth++;
          if ((it + 1) % Math.max(1, options.iterations() / 10) == 0 || it + 1 == options.iterations()) {
            float[] mean = new float[5];
            for (int t = 0; t < 5; t++) {
              mean[t] = sums[t] / inTenth;
            }
            tenths.add(mean);
            sums = new float[5];
            inTenth = 0;
          }
        }
      }
      return new Result(weights(model.getBlock(), c, k), tenths);
    }
  }

  /** {@code base}, then a tenth of it from update {@code at} on. */
  private static Tracker stepDecay(float base, int at) {
    return new Tracker() {
      @Override
      public float getNewValue(int numUpdate) {
        return numUpdate < at ? base : base * 0.1f;
      }
    };
  }

  /** One forward and backward pass; returns total, task, L_m, L_b, L_a. */
  private NDArray[] step(Trainer trainer, NDManager sub, ImageSet images, int[] members, int sampled, Block observer,
      Normalization observerNorm, SplittableRandom random) {
    int c = images.channels();
    int h = images.height();
    int w = images.width();
    int k = options.colours();
    int b = members.length;
    int pixels = h * w;
    float[] raw = new float[b * c * pixels];
    long[] pick = new long[b * k * sampled];
    float[] target = new float[b * sampled * k];
    for (int i = 0; i < b; i++) {
      PixelImage image = images.image(members[i]);
      for (int j = 0; j < c * pixels; j++) {
        raw[i * c * pixels + j] = (image.data()[j] & 0xFF) / 255f;
      }
      byte[] medianCut = MedianCut.quantise(image, k).indices();
      int[] order = StableRandom.permutation(pixels, random);
      for (int s = 0; s < sampled; s++) {
        for (int bucket = 0; bucket < k; bucket++) {
          pick[(i * k + bucket) * sampled + s] = order[s];
        }
        target[(i * sampled + s) * k + medianCut[order[s]]] = 1f;
      }
    }
    NDArray x = sub.create(raw, new Shape(b, c, h, w));
    NDArray reference = observer == null ? null : observe(observer, sub, x, observerNorm);
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDArray logits = trainer.forward(new NDList(x.sub(0.5f).div(0.5f))).singletonOrThrow();
      NDArray m = logits.softmax(1).reshape(b, k, pixels);
      NDArray flat = x.reshape(b, c, pixels);
      NDArray palette = m.batchMatMul(flat.transpose(0, 2, 1)).div(m.sum(new int[] {2}, true).add(1e-8f));
      NDArray recoloured = m.transpose(0, 2, 1).batchMatMul(palette).transpose(0, 2, 1).reshape(b, c, h, w);
      NDArray task = reference == null ? sub.zeros(new Shape())
          : PaletteLosses.task(observe(observer, sub, recoloured, observerNorm), reference);
      NDArray lm = PaletteLosses.maxColour(m);
      NDArray lb = PaletteLosses.balance(m);
      NDArray soft = m.gather(sub.create(pick, new Shape(b, k, sampled)), 2).transpose(0, 2, 1);
      NDArray la = PaletteLosses.alignment(soft, sub.create(target, new Shape(b, sampled, k)));
      NDArray total = ScalarOps.mul(task, options.taskWeight()).add(ScalarOps.mul(lm, options.maxColourWeight()))
          .add(ScalarOps.mul(lb, options.balanceWeight())).add(ScalarOps.mul(la, options.alignmentWeight()));
      collector.backward(total);
      return new NDArray[] {total, task, lm, lb, la};
    }
  }

  /** The observer's logits on images in [0, 1], normalised as it was trained. */
  private static NDArray observe(Block observer, NDManager sub, NDArray x, Normalization norm) {
    return observer.forward(new ParameterStore(sub, false), new NDList(NormalizedInput.of(x, norm)), false)
        .singletonOrThrow();
  }

  private PaletteNetwork weights(Block block, int channels, int colours) {
    var layers = ((SequentialBlock) block).getChildren().values();
    var first = layers.get(0).getParameters();
    var second = layers.get(2).getParameters();
    return new PaletteNetwork(channels, options.hidden(), colours,
        first.get("weight").getArray().toType(DataType.FLOAT32, false).toFloatArray(),
        first.get("bias").getArray().toFloatArray(),
        second.get("weight").getArray().toFloatArray());
  }
}
