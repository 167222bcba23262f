package dev.distill.udf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.TestImages;
import dev.distill.udf.train.ObserverTrainer;
import dev.distill.udf.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObserverRoundTripTest {

  @Test
  void trainsSavesAndReloadsTheSameFunction(@TempDir Path dir) throws Exception {
    Normalization norm = new Normalization(new float[] {0.4f}, new float[] {0.3f});
    ImageSet data = TestImages.halves(32);
    ObserverTrainer trainer = new ObserverTrainer(new Architecture("convnet3"), norm,
        new TrainingOptions(3, 16, 0.003f, 5), Device.cpu());
    float[] before;
    float[] batch = new float[256];
    norm.write(data.image(0), 16, 16, batch, 0);
    ObserverMetadata meta = new ObserverMetadata(ObserverMetadata.FORMAT_DJL, "convnet3", 1, 16, 16,
        norm.mean(), norm.std(), List.of("top", "bottom"), null, data.size(), 3, 5);
    try (Model model = trainer.train(data, 2, (epoch, m) -> {})) {
      assertThat(ObserverTrainer.accuracy(model, norm, data, 16)).isGreaterThan(0.9);
      try (Predictor<LogitsTranslator.Batch, float[]> p = model.newPredictor(new LogitsTranslator())) {
        before = p.predict(new LogitsTranslator.Batch(batch, 1, 1, 16, 16));
      }
      Observer.save(model, meta, dir);
    }
    try (Observer loaded = Observer.load(dir, Device.cpu());
        Predictor<LogitsTranslator.Batch, float[]> p = loaded.newPredictor()) {
      assertThat(loaded.metadata().classNames()).containsExactly("top", "bottom");
      assertThat(p.predict(new LogitsTranslator.Batch(batch, 1, 1, 16, 16))).containsExactly(before);

      // The embedding is what the linear head reads: head(embedding) = logits.
      float[] features;
      try (Predictor<LogitsTranslator.Batch, float[]> e = loaded.newEmbeddingPredictor()) {
        features = e.predict(new LogitsTranslator.Batch(batch, 1, 1, 16, 16));
      }
      assertThat(features).hasSize(128 * 2 * 2); // ConvNet-3 on 16 px: 16 → 8 → 4 → 2
      var head = ((ai.djl.nn.SequentialBlock) loaded.block()).getChildren().values();
      var linear = head.get(head.size() - 1).getParameters();
      float[] w = linear.get("weight").getArray().toFloatArray();
      float[] b = linear.get("bias").getArray().toFloatArray();
      for (int k = 0; k < 2; k++) {
        double logit = b[k];
        for (int i = 0; i < features.length; i++) {
          logit += w[k * features.length + i] * features[i];
        }
        assertThat(logit).isCloseTo(before[k], org.assertj.core.data.Offset.offset(1e-3));
      }
    }
  }

  @Test
  void truncatedWeightsSayWhatIsWrong(@TempDir Path dir) throws Exception {
    Normalization norm = new Normalization(new float[] {0.4f}, new float[] {0.3f});
    ObserverTrainer trainer = new ObserverTrainer(new Architecture("convnet3"), norm,
        new TrainingOptions(1, 16, 0.003f, 5), Device.cpu());
    try (Model model = trainer.train(TestImages.halves(8), 2, (epoch, m) -> {})) {
      Observer.save(model, new ObserverMetadata(ObserverMetadata.FORMAT_DJL, "convnet3", 1, 16, 16, norm.mean(),
          norm.std(), List.of("top", "bottom"), null, 8, 1, 5), dir);
    }
    Path params = dir.resolve("observer-0000.params");
    Files.write(params, java.util.Arrays.copyOf(Files.readAllBytes(params), 1000));
    assertThatThrownBy(() -> Observer.load(dir, Device.cpu())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot load observer weights from " + dir + ": the weights file ends early (truncated, or not"
            + " written by this job)");
  }

  @Test
  void metadataWithAnUnknownArchitectureIsRejectedByName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(ObserverMetadata.FILE), "{\"format\":\"djl\",\"architecture\":\"vgg99\","
        + "\"channels\":1,\"height\":8,\"width\":8,\"mean\":[0.5],\"std\":[0.5],\"class_names\":[\"a\",\"b\"]}");
    assertThatThrownBy(() -> Observer.load(dir, Device.cpu()))
        .hasMessageContaining("architecture must be one of").hasMessageContaining("vgg99");
  }
}
