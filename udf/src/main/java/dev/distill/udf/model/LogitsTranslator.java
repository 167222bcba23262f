package dev.distill.udf.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;

/**
 * Feeds an already-normalised batch to the network and returns its logits, row-major
 * (batch × classes). The batch is built by the caller, so there is one copy from JVM to native
 * memory per batch and none per image.
 */
public final class LogitsTranslator implements Translator<LogitsTranslator.Batch, float[]> {

  /** {@code size} images of shape channels × height × width at the front of {@code data}. */
  public record Batch(float[] data, int size, int channels, int height, int width) {}

  @Override
  public NDList processInput(TranslatorContext ctx, Batch batch) {
    int n = batch.size() * batch.channels() * batch.height() * batch.width();
    return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(batch.data(), 0, n),
        new Shape(batch.size(), batch.channels(), batch.height(), batch.width())));
  }

  @Override
  public float[] processOutput(TranslatorContext ctx, NDList list) {
    return list.singletonOrThrow().toFloatArray();
  }

  @Override
  public Batchifier getBatchifier() {
    return null; // the input already is a batch
  }
}
