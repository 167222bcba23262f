package dev.distill.udf.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Picks the device for a task: the GPU Spark assigned to it (resource {@code gpu}) when there is
 * one, else the CPU. Spark reports the address the discovery script printed; when the resource
 * manager has narrowed {@code CUDA_VISIBLE_DEVICES}, CUDA renumbers from 0, so the address is
 * translated to its position in that list.
 */
public final class InferenceDevice {
  public static final List<String> CHOICES = List.of("auto", "cpu", "gpu");

  private InferenceDevice() {}

  public static Device forCurrentTask(String preference) {
    if (!CHOICES.contains(preference)) {
      throw new IllegalArgumentException("device must be one of " + CHOICES + ", got '" + preference + "'");
    }
    if (preference.equals("cpu")) {
      return Device.cpu();
    }
    String address = assignedGpu();
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    if (address != null && gpus > 0) {
      return Device.gpu(cudaOrdinal(address, System.getenv("CUDA_VISIBLE_DEVICES")));
    }
    if (preference.equals("gpu")) {
      throw new IllegalStateException("device 'gpu' was requested but "
          + (gpus == 0 ? "the PyTorch engine sees no GPU (CPU native library on the classpath?)"
              : "this task has no GPU resource (set spark.task.resource.gpu.amount)"));
    }
    return Device.cpu();
  }

  private static String assignedGpu() {
    TaskContext ctx = TaskContext.get();
    if (ctx == null) {
      return null;
    }
    Map<String, ResourceInformation> resources = ctx.resourcesJMap();
    ResourceInformation gpu = resources.get("gpu");
    return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
  }

  /** The CUDA ordinal of a Spark GPU address under the given CUDA_VISIBLE_DEVICES value. */
  static int cudaOrdinal(String address, String visibleDevices) {
    if (visibleDevices == null || visibleDevices.isBlank()) {
      return Integer.parseInt(address.trim());
    }
    List<String> visible = Arrays.stream(visibleDevices.split(",")).map(String::trim).toList();
    int index = visible.indexOf(address.trim());
    if (index >= 0) {
      return index;
    }
    if (visible.size() == 1) {
      return 0; // the container was given exactly this GPU and renumbered it
    }
    throw new IllegalStateException("GPU address " + address + " assigned by Spark is not among "
        + "CUDA_VISIBLE_DEVICES=" + visibleDevices);
  }
}
