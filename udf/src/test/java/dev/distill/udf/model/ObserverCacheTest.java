package dev.distill.udf.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObserverCacheTest {

  static Path savedObserver(Path dir) throws Exception {
    try (Model model = Model.newInstance("observer", Device.cpu(), "PyTorch")) {
      model.setBlock(new Architecture("convnet3").newBlock(1, 8, 8, 2));
      try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
        t.initialize(new Shape(1, 1, 8, 8));
      }
      Observer.save(model, new ObserverMetadata(ObserverMetadata.FORMAT_DJL, "convnet3", 1, 8, 8,
          new float[] {0.5f}, new float[] {0.5f}, List.of("a", "b"), null, 0, 0, 0), dir);
    }
    return dir;
  }

  @Test
  void loadsOncePerLocationAndClosesIdleModelsBeyondTheBound(@TempDir Path tmp) throws Exception {
    Path dir = savedObserver(tmp.resolve("m"));
    AtomicInteger loads = new AtomicInteger();
    String location = "test-cache:" + tmp;
    try (ObserverCache.Lease a = ObserverCache.lease(location, Device.cpu(), l -> { loads.incrementAndGet(); return dir; });
        ObserverCache.Lease b = ObserverCache.lease(location, Device.cpu(), l -> { loads.incrementAndGet(); return dir; })) {
      assertThat(a.observer()).isSameAs(b.observer());
    }
    assertThat(loads).hasValue(1);
    int before = ObserverCache.size();
    for (int i = 0; i < ObserverCache.MAX_IDLE + 2; i++) {
      Path copy = tmp.resolve("copy" + i);
      Files.createDirectories(copy);
      for (Path f : Files.list(dir).toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
      ObserverCache.lease("test-cache-copy:" + copy, Device.cpu(), l -> copy).close();
    }
    assertThat(ObserverCache.size()).isLessThanOrEqualTo(Math.max(before, ObserverCache.MAX_IDLE));
  }
}
