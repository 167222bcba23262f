package dev.distill.udf.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.nn.SequentialBlock;
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
  private Model embedding;

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
      throw new IllegalArgumentException("cannot load observer weights from " + dir + ": " + why(e), e);
    }
    return new Observer(model, meta);
  }

  /** A reader's failure in words: a truncated file surfaces as an exception with no message. */
  private static String why(Exception e) {
    if (e instanceof java.io.EOFException || e.getCause() instanceof java.io.EOFException) {
      return "the weights file ends early (truncated, or not written by this job)";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()
        + " while reading the weights (a damaged file, or one not written by this job)";
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

  /**
   * The network itself, for losses that differentiate through it (palette, compensators). Load a
   * private instance for that ({@link #load}), not the executor-wide cached one: callers freeze it.
   */
  public ai.djl.nn.Block block() {
    return model.getBlock();
  }

  public Device device() {
    return model.getNDManager().getDevice();
  }

  public Predictor<LogitsTranslator.Batch, float[]> newPredictor() {
    return model.newPredictor(new LogitsTranslator());
  }

  /**
   * A predictor of the penultimate layer: the flattened features the network's linear head reads
   * (ConvNet-3 on 28 px: 128 × 4 × 4; ResNet-18: 512), for feature-based selection. The same
   * parameters as {@link #newPredictor}, no copy.
   */
  public synchronized Predictor<LogitsTranslator.Batch, float[]> newEmbeddingPredictor() {
    if (embedding == null) {
      if (!(model.getBlock() instanceof SequentialBlock net) || net.getChildren().size() < 2) {
        throw new IllegalStateException("observer " + metadata.architecture()
            + " is not a sequence of layers; its penultimate layer cannot be read");
      }
      SequentialBlock trunk = new SequentialBlock();
      var layers = net.getChildren().values();
      trunk.addAll(layers.subList(0, layers.size() - 1));
      embedding = Model.newInstance("observer-embedding", device(), "PyTorch");
      embedding.setBlock(trunk);
    }
    return embedding.newPredictor(new LogitsTranslator());
  }

  @Override
  public synchronized void close() {
    if (embedding != null) {
      embedding.close();
    }
    model.close();
  }
}
