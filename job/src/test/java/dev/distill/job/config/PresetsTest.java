package dev.distill.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every preset in conf/ is a valid config (the demo's paths are filled in by `bin/distill demo`). */
class PresetsTest {

  @Test
  void everyPresetLoads() {
    File[] presets = new File("../conf").listFiles((dir, name) -> name.endsWith(".conf"));
    assertThat(presets).isNotNull().hasSizeGreaterThanOrEqualTo(3);
    Arrays.sort(presets);
    for (File preset : presets) {
      DistillConfig c = ConfigLoader.load(preset, Map.of("distill.input.path", "\"/data/placeholder\""));
      assertThat(c.ipc()).as(preset.getName()).isPositive();
      assertThat(c.observer().architectures()).as(preset.getName()).isNotEmpty();
      if (preset.getName().equals("cifar10-autopalette.conf")) { // includes cifar10.conf, then overrides
        assertThat(c.methodNames()).containsExactly("graphcut", "palette");
        assertThat(c.input().channels()).isEqualTo(3);
      }
    }
  }
}
