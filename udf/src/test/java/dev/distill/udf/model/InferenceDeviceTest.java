package dev.distill.udf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InferenceDeviceTest {

  @Test
  void mapsSparkGpuAddressesToCudaOrdinals() {
    assertThat(InferenceDevice.cudaOrdinal("3", null)).isEqualTo(3);
    assertThat(InferenceDevice.cudaOrdinal("3", "2,3")).isEqualTo(1);
    assertThat(InferenceDevice.cudaOrdinal("5", "5")).isEqualTo(0);
    assertThat(InferenceDevice.cudaOrdinal("7", "4")).isEqualTo(0); // isolated and renumbered
    assertThatThrownBy(() -> InferenceDevice.cudaOrdinal("7", "1,2")).hasMessageContaining("CUDA_VISIBLE_DEVICES=1,2");
  }

  @Test
  void outsideATaskAutoMeansCpu() {
    assertThat(InferenceDevice.forCurrentTask("auto")).isEqualTo(ai.djl.Device.cpu());
    assertThatThrownBy(() -> InferenceDevice.forCurrentTask("tpu")).hasMessageContaining("auto, cpu, gpu");
  }
}
