package dev.distill.udf.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A loaded observer: the network plus the metadata that says how to feed it. Shared by all tasks of
 * an executor (see {@link ObserverCache}); each task makes its own {@link Predictor}.
 */
public final class Observer implements AutoCloseable {
  static final String WEIGHTS_PREFIX = "observer";
  static final String TORCHSCRIPT_NAME = "model";

  private final Model model;
  private final ObserverMetadata metadata;

  Observer(Model model, ObserverMetadata metadata) {
    this.model = model;
    this.metadata = metadata;
  }

  /**
   * Loads an observer directory: {@code observer.json} plus either DJL weights
   * ({@code observer-0000.params}) or a TorchScript file ({@code model.pt}).
   */
  public static Observer load(Path dir, Device device) {
    Path metaFile = dir.resolve(ObserverMetadata.FILE);
    ObserverMetadata meta;
    try {
      meta = ObserverMetadata.fromJson(Files.readAllBytes(metaFile), metaFile.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read observer metadata " + metaFile, e);
    }
    Model model = Model.newInstance("observer", device, "PyTorch");
    try {
      if (ObserverMetadata.FORMAT_DJL.equals(meta.format())) {
        model.setBlock(new Architecture(meta.architecture())
            .newBlock(meta.channels(), meta.height(), meta.width(), meta.classes()));
        model.load(dir, WEIGHTS_PREFIX);
      } else {
        model.load(dir, TORCHSCRIPT_NAME);
      }
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException("cannot load observer weights from " + dir + ": " + e.getMessage(), e);
    }
    return new Observer(model, meta);
  }

  /** Writes weights and metadata into {@code dir} (created if missing). */
  public static void save(Model model, ObserverMetadata metadata, Path dir) throws IOException {
    Files.createDirectories(dir);
    model.save(dir, WEIGHTS_PREFIX);
    Files.write(dir.resolve(ObserverMetadata.FILE), metadata.toJson());
  }

  public ObserverMetadata metadata() {
    return metadata;
  }

  public Device device() {
    return model.getNDManager().getDevice();
  }

  public Predictor<LogitsTranslator.Batch, float[]> newPredictor() {
    return model.newPredictor(new LogitsTranslator());
  }

  @Override
  public void close() {
    model.close();
  }
}
