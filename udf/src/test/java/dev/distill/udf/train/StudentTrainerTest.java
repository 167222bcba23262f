package dev.distill.udf.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.Architecture;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StudentTrainerTest {
  private static final Normalization NORM = new Normalization(new float[] {0.4f}, new float[] {0.3f});

  private static StudentOptions options(LabelMode mode, int epochs) {
    return new StudentOptions(epochs, 8, 0.003f, 0.01f, 4f, mode, 2, 0.8, 11, 1, Mixing.CUTMIX);
  }

  @Test
  void learnsFromHardAndFromStoredSoftLabelsAndReportsTheLastFifth() {
    ImageSet train = TestImages.halves(8);
    ImageSet test = TestImages.halves(20);
    float[] logits = new float[train.size() * 2];
    for (int i = 0; i < train.size(); i++) {
      logits[i * 2 + train.label(i)] = 6f; // a confident teacher's view
    }
    for (LabelMode mode : new LabelMode[] {LabelMode.HARD, LabelMode.STATIC}) {
      StudentTrainer.Result r = new StudentTrainer(new Architecture("convnet3"), NORM, options(mode, 20), Device.cpu())
          .train(train, logits, 2, java.util.List.of(), test, e -> {});
      assertThat(r.evaluatedEpochs()).containsExactly(18, 20); // after 80 % of the epochs, every 2
      assertThat(r.best()).as(mode.id()).isGreaterThan(0.9);
      assertThat(r.last()).isEqualTo(r.accuracies().get(1));
    }
  }

  @Test
  void sameSeedSameAccuracies() {
    ImageSet train = TestImages.halves(6);
    ImageSet test = TestImages.halves(10);
    StudentTrainer t = new StudentTrainer(new Architecture("convnet3"), NORM, options(LabelMode.HARD, 5), Device.cpu());
    assertThat(t.train(train, null, 2, java.util.List.of(), test, e -> {}).accuracies())
        .isEqualTo(t.train(train, null, 2, java.util.List.of(), test, e -> {}).accuracies());
  }

  @Test
  void testPassesDoNotChangeTheTrainedModel() {
    // Noise images with arbitrary labels: the accuracy sits near chance and flips with any change in
    // the weights, so equal final accuracies mean the earlier test passes left training alone.
    ImageSet train = TestImages.halves(6);
    ImageSet noise = new ImageSet(1, 16, 16);
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 400; i++) {
      byte[] px = new byte[256];
      r.nextBytes(px);
      noise.add(px, r.nextInt(2));
    }
    Architecture convnet = new Architecture("convnet3");
    StudentOptions everyEpoch = new StudentOptions(6, 8, 0.003f, 0.01f, 4f, LabelMode.HARD, 1, 0.0, 11, 1, Mixing.CUTMIX);
    StudentOptions finalOnly = new StudentOptions(6, 8, 0.003f, 0.01f, 4f, LabelMode.HARD, 1, 1.0, 11, 1, Mixing.CUTMIX);
    StudentTrainer.Result tested = new StudentTrainer(convnet, NORM, everyEpoch, Device.cpu())
        .train(train, null, 2, java.util.List.of(), noise, e -> {});
    StudentTrainer.Result once = new StudentTrainer(convnet, NORM, finalOnly, Device.cpu())
        .train(train, null, 2, java.util.List.of(), noise, e -> {});
    assertThat(tested.evaluatedEpochs()).hasSize(6);
    assertThat(new java.util.HashSet<>(tested.accuracies())).as("accuracy moves with the weights").hasSizeGreaterThan(2);
    assertThat(once.evaluatedEpochs()).containsExactly(6);
    assertThat(once.last()).isEqualTo(tested.last());
    assertThat(tested.accuracies()).as("near chance, so sensitive to the weights").allMatch(a -> a > 0.3 && a < 0.7);
  }

  @Test
  void halfCosineEndsAtHalfTheRate() {
    HalfCosine lr = new HalfCosine(1e-3f, 300, 2);
    assertThat(lr.atEpoch(0)).isEqualTo(1e-3f);
    assertThat(lr.atEpoch(300)).isCloseTo(5e-4f, within(1e-9f));
    assertThat(lr.getNewValue(1)).isEqualTo(lr.getNewValue(2)).isEqualTo(lr.atEpoch(0));
    assertThat(lr.getNewValue(3)).isEqualTo(lr.atEpoch(1));
  }

  @Test
  void cutMixPastesAPartnerBoxAndReportsTheOwnFraction() {
    int n = 4;
    float[] batch = new float[n * 36];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(batch, i * 36, (i + 1) * 36, i);
    }
    CutMix.Mix mix = CutMix.apply(batch, n, 1, 6, 6, new SplittableRandom(3));
    for (int i = 0; i < n; i++) {
      int own = 0;
      for (int p = 0; p < 36; p++) {
        float v = batch[i * 36 + p];
        assertThat(v).isIn((float) i, (float) mix.partner()[i]);
        own += v == i ? 1 : 0;
      }
      if (mix.partner()[i] != i) {
        assertThat(own / 36.0).isCloseTo(mix.lambda(), within(1e-9));
      }
    }
  }

  @Test
  void adamWClearsTheGradientItApplied() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray w = m.ones(new ai.djl.ndarray.types.Shape(3));
      w.setRequiresGradient(true);
      try (ai.djl.training.GradientCollector c = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        c.backward(w.mul(2).sum());
      }
      assertThat(w.getGradient().toFloatArray()).containsOnly(2f);
      new SelectiveAdamW(new HalfCosine(0.1f, 10, 1), 0f).update("w", w, w.getGradient());
      // Without this, gradients would pile up across steps (a bug that cost students 40 points).
      assertThat(w.getGradient().toFloatArray()).containsOnly(0f);
      assertThat(w.toFloatArray()[0]).isCloseTo(0.9f, within(1e-5f));
    }
  }

  @Test
  void adamWKeepsItsStateWithTheWeightsManager() {
    // The moments live on the weight's own manager, so they sit on its device and are freed with
    // it. DJL's withDefaultState moved them to the system manager, whose device is the GPU whenever
    // the machine has one: a CPU student there failed at its first step (seen on an H100).
    try (NDManager m = NDManager.newBaseManager("PyTorch"); NDManager weights = m.newSubManager()) {
      NDArray w = weights.ones(new ai.djl.ndarray.types.Shape(2, 2));
      int before = ((ai.djl.ndarray.BaseNDManager) weights).getManagedArrays().size();
      new SelectiveAdamW(new HalfCosine(0.1f, 10, 1), 0f).update("w", w, m.ones(w.getShape()));
      assertThat(((ai.djl.ndarray.BaseNDManager) weights).getManagedArrays()).hasSize(before + 2);
    }
  }

  @Test
  void adamWDecaysWeightsButNotBiases() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray weight = m.ones(new ai.djl.ndarray.types.Shape(2, 2));
      NDArray bias = m.ones(new ai.djl.ndarray.types.Shape(2));
      SelectiveAdamW adam = new SelectiveAdamW(new HalfCosine(0.1f, 1, 1), 0.5f);
      adam.update("w", weight, m.zeros(weight.getShape()));
      adam.update("b", bias, m.zeros(bias.getShape()));
      // zero gradient: only decoupled decay moves a parameter: w ← w (1 − lr·wd) = 0.95
      assertThat(weight.toFloatArray()).containsOnly(0.95f);
      assertThat(bias.toFloatArray()).containsOnly(1f);
      NDArray other = m.ones(new ai.djl.ndarray.types.Shape(2));
      adam.update("c", other, m.ones(other.getShape()));
      // a parameter's first Adam step with g = 1: m̂ = 1, v̂ = 1, so it moves by lr = 0.1
      assertThat(other.toFloatArray()[0]).isCloseTo(0.9f, within(1e-5f));
    }
  }
}
