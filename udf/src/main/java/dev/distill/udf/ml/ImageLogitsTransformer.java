package dev.distill.udf.ml;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.distill.udf.hadoop.HadoopConf;
import dev.distill.udf.hadoop.LocalCopy;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.model.InferenceDevice;
import dev.distill.udf.model.LogitsTranslator;
import dev.distill.udf.model.ObserverCache;
import dev.distill.udf.model.ObserverMetadata;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Batched DJL inference as a Spark ML {@link Transformer}: appends the model's logits (or, with
 * {@code layer = embedding}, its penultimate layer's features) to every image row. It plays the role of DJL's Spark extension (not served by the registry here) without its
 * flaws: the model is loaded once per executor JVM ({@link ObserverCache}) instead of once per
 * task, each task's predictor is closed when the task ends, and a task that Spark gave a GPU runs
 * on that GPU.
 *
 * <p>Input is a binary column of planar 8-bit pixels (the job's {@code pixels} layout; the side is
 * inferred from the length and must be square) or a Spark image-schema struct. Images smaller
 * than the model input are zero-padded, centred, after normalisation. The model is a directory
 * with {@code observer.json} beside DJL weights or a TorchScript {@code model.pt}, on any Hadoop
 * file system.
 */
public final class ImageLogitsTransformer extends Transformer {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> modelUri;
  private final Param<String> engine;
  private final IntParam batchSize;
  private final Param<String> device;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> layer;

  public static final String LOGITS = "logits";
  public static final String EMBEDDING = "embedding";

  public ImageLogitsTransformer() {
    this(Identifiable$.MODULE$.randomUID("imageLogits"));
  }

  public ImageLogitsTransformer(String uid) {
    this.uid = uid;
    modelUri = new Param<>(this, "modelUri", "directory holding observer.json and the weights");
    engine = new Param<>(this, "engine", "DJL engine; only PyTorch is bundled",
        ParamValidators.inArray(new String[] {"PyTorch"}));
    batchSize = new IntParam(this, "batchSize", "images per forward pass", ParamValidators.gtEq(1));
    device = new Param<>(this, "device", "auto (the task's GPU if any, else CPU), cpu or gpu",
        ParamValidators.inArray(InferenceDevice.CHOICES.toArray(new String[0])));
    inputCol = new Param<>(this, "inputCol", "binary planar pixels or Spark image struct");
    outputCol = new Param<>(this, "outputCol", "array<float> of logits, one per class");
    layer = new Param<>(this, "layer", "logits (the output) or embedding (the penultimate layer's features)",
        ParamValidators.inArray(new String[] {LOGITS, EMBEDDING}));
    setDefault(layer, LOGITS);
    setDefault(engine, "PyTorch");
    setDefault(batchSize, 256);
    setDefault(device, "auto");
    setDefault(inputCol, "pixels");
    setDefault(outputCol, "logits");
  }

  public ImageLogitsTransformer setModelUri(String value) {
    set(modelUri, value);
    return this;
  }

  public ImageLogitsTransformer setEngine(String value) {
    set(engine, value);
    return this;
  }

  public ImageLogitsTransformer setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  public ImageLogitsTransformer setDevice(String value) {
    set(device, value);
    return this;
  }

  public ImageLogitsTransformer setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public ImageLogitsTransformer setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  public ImageLogitsTransformer setLayer(String value) {
    set(layer, value);
    return this;
  }

  // Spark discovers params through public no-argument accessors; a param without one is "not owned".
  public Param<String> modelUri() {
    return modelUri;
  }

  public Param<String> engine() {
    return engine;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public Param<String> device() {
    return device;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> layer() {
    return layer;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(modelUri)) {
      throw new IllegalArgumentException("Param 'modelUri' must be set.");
    }
    String in = $(inputCol);
    if (!List.of(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException("Column '" + in + "' does not exist; columns are "
          + String.join(", ", schema.fieldNames()) + ".");
    }
    var type = schema.apply(in).dataType();
    if (!type.equals(DataTypes.BinaryType) && !SparkImages.isImageStruct(type)) {
      throw new IllegalArgumentException("Column '" + in + "' must be binary pixels or a Spark "
          + "image struct; found " + type.simpleString() + ".");
    }
    if (List.of(schema.fieldNames()).contains($(outputCol))) {
      throw new IllegalArgumentException("Output column '" + $(outputCol) + "' already exists.");
    }
    return schema.add(new StructField($(outputCol),
        new ArrayType(DataTypes.FloatType, false), false, org.apache.spark.sql.types.Metadata.empty()));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    int column = dataset.schema().fieldIndex($(inputCol));
    boolean struct = SparkImages.isImageStruct(dataset.schema().apply($(inputCol)).dataType());
    Inference inference = new Inference($(modelUri), $(device), (Integer) $(batchSize), column, struct,
        $(layer).equals(EMBEDDING),
        new HadoopConf(dataset.sparkSession().sparkContext().hadoopConfiguration()));
    return dataset.toDF().mapPartitions(inference, Encoders.row(out));
  }

  @Override
  public Transformer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** The executor side: one predictor per task, fed in batches, rows out in input order. */
  private record Inference(String uri, String devicePreference, int batchSize, int column,
      boolean struct, boolean embedding, HadoopConf hadoop) implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      TaskFault.onTaskStart();
      if (!rows.hasNext()) {
        return rows;
      }
      Device target = InferenceDevice.forCurrentTask(devicePreference);
      ObserverCache.Lease lease = ObserverCache.lease(uri, target, loc -> LocalCopy.of(loc, hadoop.get()));
      Predictor<LogitsTranslator.Batch, float[]> predictor = embedding
          ? lease.observer().newEmbeddingPredictor() : lease.observer().newPredictor();
      Runnable release = () -> {
        predictor.close();
        lease.close();
      };
      TaskContext ctx = TaskContext.get();
      if (ctx != null) {
        ctx.addTaskCompletionListener((TaskCompletionListener) c -> release.run());
      }
      return new BatchIterator(rows, lease.observer().metadata(), predictor, ctx == null ? release : null);
    }

    private final class BatchIterator implements Iterator<Row> {
      private final Iterator<Row> rows;
      private final ObserverMetadata meta;
      private final Normalization normalization;
      private final Predictor<LogitsTranslator.Batch, float[]> predictor;
      private final Runnable releaseAtEnd;
      private final float[] buffer;
      private final List<Row> pending = new ArrayList<>();
      private Iterator<Row> ready = java.util.Collections.emptyIterator();

      BatchIterator(Iterator<Row> rows, ObserverMetadata meta,
          Predictor<LogitsTranslator.Batch, float[]> predictor, Runnable releaseAtEnd) {
        this.rows = rows;
        this.meta = meta;
        this.normalization = meta.normalization();
        this.predictor = predictor;
        this.releaseAtEnd = releaseAtEnd;
        this.buffer = new float[batchSize * meta.channels() * meta.height() * meta.width()];
      }

      @Override
      public boolean hasNext() {
        if (ready.hasNext()) {
          return true;
        }
        if (!rows.hasNext()) {
          if (releaseAtEnd != null) {
            releaseAtEnd.run();
          }
          return false;
        }
        ready = nextBatch();
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.next();
      }

      private Iterator<Row> nextBatch() {
        pending.clear();
        int chw = meta.channels() * meta.height() * meta.width();
        while (pending.size() < batchSize && rows.hasNext()) {
          Row row = rows.next();
          PixelImage image = struct
              ? SparkImages.fromStruct(row.getStruct(column), meta.channels())
              : SparkImages.fromPlanar(row.getAs(column), meta.channels());
          normalization.write(image, meta.height(), meta.width(), buffer, pending.size() * chw);
          pending.add(row);
        }
        float[] logits;
        try {
          logits = predictor.predict(new LogitsTranslator.Batch(
              buffer, pending.size(), meta.channels(), meta.height(), meta.width()));
        } catch (TranslateException e) {
          throw new IllegalStateException("inference failed on a batch of " + pending.size(), e);
        }
        int width = logits.length / pending.size();
        List<Row> out = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
          float[] one = new float[width];
          System.arraycopy(logits, i * width, one, 0, width);
          out.add(append(pending.get(i), one));
        }
        return out.iterator();
      }

      private Row append(Row row, float[] logits) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
          values[i] = row.get(i);
        }
        values[row.length()] = logits;
        return RowFactory.create(values);
      }
    }
  }
}
