import ai.djl.Device;
import ai.djl.inference.Predictor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.common.IngestStage;
import dev.distill.job.common.IngestSummary;
import dev.distill.job.common.ObserveStage;
import dev.distill.job.method.rded.RdedSettings;
import dev.distill.job.method.rded.ScoreStage;
import dev.distill.job.stage.StageContext;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.model.LogitsTranslator;
import dev.distill.udf.model.Observer;
import dev.distill.udf.model.ObserverMetadata;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The scoring stage's speed against its ceiling, measured in one JVM:
 *  - raw inference: the observer's predictor on ready-made normalised batches (no Spark, no decode);
 *  - end to end: ScoreStage (pool sampling, crop, resize, pad, batch, infer, CE, best crop) on local[1]
 *    and local[2], from the ingested Parquet, crops per second;
 *  - ingest: records read, decoded and stored per second; peak heap and peak resident memory.
 * Run through bench/scoring.sh, which passes the launcher's JVM flags.
 */
public class ScoringBenchmark {
  public static void main(String[] args) throws Exception {
    String observerDir = args[0];
    String images = args[1];
    int pool = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    Path result = Path.of(args[4]);
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("date", java.time.Instant.now().toString());
    out.put("command", "bench/scoring.sh " + String.join(" ", args));
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("torch_threads", System.getProperty("ai.djl.pytorch.num_threads"));
    out.put("jemalloc", String.valueOf(System.getenv("LD_PRELOAD")).contains("jemalloc"));
    out.put("batch_size", batch);
    out.put("pool_per_class", pool);

    // 1. Raw inference rate of the same model at the same batch size.
    ObserverMetadata meta;
    try (Observer observer = Observer.load(Path.of(observerDir), Device.cpu());
        Predictor<LogitsTranslator.Batch, float[]> predictor = observer.newPredictor()) {
      meta = observer.metadata();
      int chw = meta.channels() * meta.height() * meta.width();
      float[] data = new float[batch * chw];
      Normalization norm = meta.normalization();
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < batch; i++) {
        PixelImage img = PixelImage.blank(meta.channels(), meta.height(), meta.width());
        r.nextBytes(img.data());
        norm.write(img, meta.height(), meta.width(), data, i * chw);
      }
      LogitsTranslator.Batch b = new LogitsTranslator.Batch(data, batch, meta.channels(), meta.height(), meta.width());
      for (int i = 0; i < 5; i++) {
        predictor.predict(b);
      }
      int rounds = 40;
      long start = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        predictor.predict(b);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.put("raw_inference_images_per_s", rounds * batch / seconds);
    }

    // 2. End-to-end scoring on local[1] and local[2], from the same ingested data.
    ArrayNode runs = out.putArray("end_to_end");
    for (String master : List.of("local[1]", "local[2]")) {
      File work = Files.createTempDirectory("scoring-bench").toFile();
      String names = meta.classNames().stream().map(n -> "\"" + n + "\"")
          .collect(java.util.stream.Collectors.joining(",", "[", "]"));
      DistillConfig c = ConfigLoader.load(null, Map.of("distill.input.class-names", names,
          "distill.input.path", images, "distill.input.format", "idx",
          "distill.input.image-size", "" + meta.height(), "distill.input.channels", "" + meta.channels(),
          "distill.rded.pool-size", "" + pool, "distill.inference.batch-size", "" + batch,
          "distill.observer.path", observerDir, "distill.output.path", work + "/out"));
      SparkSession spark = SparkSession.builder().master(master).appName("scoring-bench")
          .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8").getOrCreate();
      StageContext ctx = new StageContext(spark, c, new org.apache.hadoop.fs.Path(work.toURI().toString()));
      long t0 = System.nanoTime();
      IngestSummary data = ctx.run(new IngestStage());
      double ingest = (System.nanoTime() - t0) / 1e9;
      ctx.run(new ObserveStage());
      ctx.run(new ScoreStage()); // warm: model load, JIT
      long t1 = System.nanoTime();
      ctx.run(new ScoreStage()); // scoring, materialised as its table (as in a run)
      double score = (System.nanoTime() - t1) / 1e9;
      long scored = ctx.table(ScoreStage.SCORED).count();
      long crops = scored * c.method("rded", RdedSettings.class).cropsPerImage();
      ObjectNode run = runs.addObject();
      run.put("master", master);
      run.put("ingest_records_per_s", data.records() / ingest);
      run.put("ingest_s", ingest);
      run.put("crops", crops);
      run.put("score_s", score);
      run.put("crops_per_s", crops / score);
      run.put("ratio_to_raw_inference", crops / score / out.get("raw_inference_images_per_s").asDouble());
      spark.stop();
    }
    long peakHeap = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == java.lang.management.MemoryType.HEAP) {
        peakHeap += p.getPeakUsage().getUsed();
      }
    }
    out.put("peak_heap_mib", peakHeap / (1 << 20));
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        out.put("peak_resident_mib", Long.parseLong(line.replaceAll("\\D+", "")) / 1024);
      }
    }
    Files.writeString(result, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    System.out.println(out.toPrettyString());
  }
}
