package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.job.config.ConfigError;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.read.InputError;
import dev.distill.udf.ml.ImageLogitsTransformer;
import org.apache.spark.sql.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole RDED job on a tiny three-class folder dataset, on one local session. */
class PipelineTest extends SharedSpark {
  @TempDir static Path data;

  @BeforeAll
  static void writeData() throws IOException {
    TinyData.folder(data.resolve("train"), 3, 10, 16);
    TinyData.folder(data.resolve("test"), 3, 4, 16);
    // One corrupt file: it must surface as a counted reject, not a crash and not silence.
    Files.write(data.resolve("train/class1/zz-broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
  }

  private static Map<String, String> tiny(Path out) {
    Map<String, String> o = TinyData.job(data.resolve("train").toString(), out.toString());
    o.put("distill.input.test-path", data.resolve("test").toString());
    o.put("distill.rded.pool-size", "8");
    o.put("distill.input.max-reject-fraction", "0.05");
    return o;
  }

  private static JsonNode manifest(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
  }

  private static Map<String, String> contents(Path out) throws IOException {
    return OutputFilesDigest.of(out);
  }

  @Test
  void withoutResumeAFailureRaisedAsSparkRaisesItLeavesNoStaging(@TempDir Path tmp) throws Exception {
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.output.resume", "false");
    o.put("distill.fault.fail-after", "ingest"); // a checked exception, undeclared, like SparkException
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(dev.distill.job.stage.FaultHook.InjectedFault.class);
    assertThat(tmp.resolve(".out.staging")).doesNotExist();
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void anOutputUnderAFileIsAClearErrorBeforeAnyWork(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("afile"), "x");
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), tmp.resolve("afile/out").toString());
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false)).isInstanceOf(ConfigError.class)
        .hasMessageContaining("distill.output.path = " + tmp.resolve("afile/out") + ": file:" + tmp.resolve("afile")
            + " is a file, so the output cannot be created under it");
  }

  @Test
  void aOneClassDatasetOrSplitsNamingDifferentClassesStopAtIngest(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("one"), 1, 4, 16);
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null,
        TinyData.job(tmp.resolve("one").toString(), tmp.resolve("out1").toString())), false))
        .isInstanceOf(InputError.class).hasMessageContaining("the dataset has one class ([class0])");

    TinyData.folder(tmp.resolve("train"), 3, 4, 16);
    TinyData.folder(tmp.resolve("test"), 2, 2, 16);
    Files.move(tmp.resolve("test/class1"), tmp.resolve("test/class7"));
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), tmp.resolve("out2").toString());
    o.put("distill.input.test-path", tmp.resolve("test").toString());
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false)).isInstanceOf(InputError.class)
        .hasMessageContaining("only in training [class1, class2], only in test [class7]");
    assertThat(tmp.resolve("out2")).doesNotExist();
  }

  @Test
  void distillsAndRunsAgainToTheSameBytes(@TempDir Path tmp) throws Exception {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    DistillConfig config = ConfigLoader.load(null, tiny(first));
    Pipeline.run(spark, config, false);

    JsonNode m = manifest(first);
    assertThat(m.get("classes").asInt()).isEqualTo(3);
    assertThat(m.get("images").asInt()).isEqualTo(6);
    assertThat(m.get("ipc").asInt()).isEqualTo(2);
    assertThat(m.get("config_sha256").asText()).isEqualTo(config.sha256());
    assertThat(m.get("versions").get("distill").asText()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(m.get("observer").get("test_accuracy").asDouble()).isBetween(0.0, 1.0);
    long pngBytes;
    try (Stream<Path> pngs = Files.walk(first.resolve("images")).filter(p -> p.toString().endsWith(".png"))) {
      List<Path> files = pngs.toList();
      assertThat(files).hasSize(6);
      pngBytes = files.stream().mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(m.get("bytes").get("images").asLong()).isEqualTo(pngBytes);
    assertThat(m.get("bytes").get("total").asLong())
        .isEqualTo(pngBytes + first.resolve("labels.parquet").toFile().length());
    assertThat(first.resolve("images/000_class0/00000.png")).exists();
    assertThat(first.resolve("observers/convnet3/observer.json")).exists();
    assertThat(first.resolve("classes.json")).content().contains("\"folder\" : \"002_class2\"");
    assertThat(first.resolve("_work")).doesNotExist();
    assertThat(first.resolve("_stages")).doesNotExist();
    assertThat(m.get("budget").get("items_per_class").asInt()).isEqualTo(2);
    assertThat(m.get("budget").get("planned_bytes").asLong()).isEqualTo(2 * 3 * (256 + 3 * 4));
    assertThat(m.get("input").get("rejected").asInt()).isEqualTo(1);
    assertThat(first.resolve("rejects.jsonl")).content()
        .contains("\"split\":\"train\"", "\"id\":\"class1/zz-broken.png\"", "not a PNG, JPEG or BMP image (7 bytes");
    assertThat(first.getParent().resolve(".first.staging")).doesNotExist();

    List<Row> labels = TinyData.labelsAndProvenance(spark, first);
    assertThat(labels).hasSize(6);
    // What training needs, and nothing else, is in labels.parquet; where images came from is apart.
    assertThat(spark.read().parquet(first.resolve("labels.parquet").toString()).columns())
        .containsExactly("id", "label", "class", "path", "soft_label");
    assertThat(spark.read().parquet(first.resolve("provenance.parquet").toString()).columns())
        .containsExactly("id", "sources", "boxes", "scores");
    assertThat(m.get("bytes").get("provenance").asLong()).isEqualTo(first.resolve("provenance.parquet").toFile().length());
    Row l = labels.get(0);
    assertThat(l.<String>getAs("id")).isEqualTo("000_class0/00000");
    assertThat(l.<String>getAs("path")).isEqualTo("images/000_class0/00000.png");
    assertThat(l.getList(l.fieldIndex("soft_label"))).hasSize(3);
    assertThat(l.getList(l.fieldIndex("sources")).get(0).toString()).startsWith("class0/");
    // Images of a class come out best first: the first image's patch scored no worse than the second's.
    double s0 = (Double) l.getList(l.fieldIndex("scores")).get(0);
    double s1 = (Double) labels.get(1).getList(labels.get(1).fieldIndex("scores")).get(0);
    assertThat(s0).isLessThanOrEqualTo(s1);

    Pipeline.run(spark, ConfigLoader.load(null, tiny(second)), false);
    assertThat(contents(second)).isEqualTo(contents(first));

    // With factor 1 an IPC-1 run makes exactly the first image of each class of the IPC-2 run:
    // what distill.evaluate.ipcs relies on to chart smaller budgets from one output.
    Path smaller = tmp.resolve("ipc1");
    Map<String, String> o = tiny(smaller);
    o.put("distill.ipc", "1");
    Pipeline.run(spark, ConfigLoader.load(null, o), false);
    Map<String, String> ipc1 = contents(smaller);
    Map<String, String> ipc2 = contents(first);
    List<String> images = ipc1.keySet().stream().filter(k -> k.startsWith("images/")).toList();
    assertThat(images).containsExactly(
        "images/000_class0/00000.png", "images/001_class1/00000.png", "images/002_class2/00000.png");
    for (String image : images) {
      assertThat(ipc1.get(image)).as(image).isEqualTo(ipc2.get(image));
    }
  }

  @Test
  void stitchesPatchesAndLabelsThemWithFactorTwo(@TempDir Path tmp) throws Exception {
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.rded.factor", "2");
    o.put("distill.rded.label-granularity", "patch");
    o.put("distill.ipc", "1");
    // Five label vectors an image do not fit a strict IPC-1 budget; the papers' accounting ignores labels.
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .hasMessageContaining("distill.ipc = 1: the budget of 804 bytes (strict accounting) cannot hold one "
            + "8-bit image + 5 label vectors (316 bytes)");
    o.put("distill.budget.accounting", "paper");
    Pipeline.run(spark, ConfigLoader.load(null, o), false);
    List<Row> labels = TinyData.labelsAndProvenance(spark, tmp.resolve("out"));
    assertThat(labels).hasSize(3);
    for (Row r : labels) {
      assertThat(r.getList(r.fieldIndex("sources"))).hasSize(4).doesNotHaveDuplicates();
      assertThat(r.getList(r.fieldIndex("patch_soft_labels"))).hasSize(4);
      assertThat(r.getList(r.fieldIndex("boxes"))).hasSize(4);
    }
  }

  @Test
  void anIpcLargerThanAClassFailsBeforeTheObserverAndKeepsOnlyTheIngestForTheNextRun(@TempDir Path tmp) {
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.ipc", "11");
    o.put("distill.rded.pool-size", "300");
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(InputError.class)
        .hasMessageContaining("class 0 ('class0') has 10 training images but 11 images per class (distill.ipc)")
        .hasMessageContaining("short-class = keep-all");
    assertThat(tmp.resolve("out")).doesNotExist();
    assertThat(tmp.resolve(".out.staging/_stages/ingest.stage.json")).exists();
    assertThat(tmp.resolve(".out.staging/observers")).doesNotExist();

    o.put("distill.output.resume", "false");
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false)).isInstanceOf(InputError.class);
    assertThat(tmp.resolve(".out.staging")).doesNotExist();
  }

  @Test
  void keepAllDistillsWhatAShortClassHas(@TempDir Path tmp) throws Exception {
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.ipc", "12");
    o.put("distill.rded.pool-size", "300");
    o.put("distill.rded.short-class", "keep-all");
    o.put("distill.observer.epochs", "1");
    Pipeline.run(spark, ConfigLoader.load(null, o), false);
    assertThat(manifest(tmp.resolve("out")).get("images").asInt()).isEqualTo(30);
  }

  @Test
  void moreRejectsThanTheCeilingStopTheJobWithTheReasons(@TempDir Path tmp) {
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.input.max-reject-fraction", "0.01");
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(InputError.class)
        .hasMessageContaining("1 of 43 records (2.33%) were rejected")
        .hasMessageContaining("class1/zz-broken.png: not a PNG, JPEG or BMP image");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void trainObserverTrainsEachArchitectureAndWritesNoImages(@TempDir Path tmp) throws Exception {
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.observer.architectures", "[convnet3, resnet18]");
    o.put("distill.observer.epochs", "1");
    Pipeline.run(spark, ConfigLoader.load(null, o), true);
    JsonNode m = manifest(tmp.resolve("out"));
    assertThat(m.get("images").asInt()).isZero();
    assertThat(m.has("rded")).isFalse();
    assertThat(m.get("observer").get("trained").has("convnet3")).isTrue();
    assertThat(m.get("observer").get("trained").get("resnet18").get("test_accuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(tmp.resolve("out/observers/resnet18/observer.json")).content().contains("\"architecture\" : \"resnet18\"");
    assertThat(tmp.resolve("out/images")).doesNotExist();

    // The two tasks share one JVM and train side by side; their weights must not depend on timing.
    o.put("distill.output.path", tmp.resolve("again").toString());
    Pipeline.run(spark, ConfigLoader.load(null, o), true);
    for (String arch : List.of("convnet3", "resnet18")) {
      String params = "observers/" + arch + "/observer-0000.params";
      assertThat(Files.readAllBytes(tmp.resolve("again").resolve(params)))
          .isEqualTo(Files.readAllBytes(tmp.resolve("out").resolve(params)));
    }
  }

  @Test
  void overwriteReplacesOnlyAPreviousOutputAndNeverTouchesTheInput(@TempDir Path tmp) throws IOException {
    Path mine = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(mine.resolve("keep.txt"), "mine");
    Map<String, String> o = tiny(mine);
    o.put("distill.output.overwrite", "true");
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .hasMessageContaining("distill.output.path = " + mine + ": exists and is not an output of this job "
            + "(it has no manifest.json); distill.output.overwrite replaces only a previous output, so nothing was deleted");
    assertThat(mine.resolve("keep.txt")).hasContent("mine");

    for (Path out : List.of(data.resolve("train/out"), data)) {
      Map<String, String> overlapping = tiny(out);
      overlapping.put("distill.output.overwrite", "true");
      assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, overlapping), false))
          .hasMessageContaining("distill.output.path = " + out + " and distill.input.path = " + data.resolve("train")
              + " overlap (one contains the other)");
    }
    assertThat(data.resolve("train/class0/img000.png")).exists();
    assertThat(data.resolve("train/out")).doesNotExist();
  }

  @Test
  void storedLabelsCanBeTheMeanOfEveryTrainedObserver(@TempDir Path tmp) throws Exception {
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.observer.architectures", "[convnet3, convnet4]");
    o.put("distill.observer.epochs", "1");
    o.put("distill.label.teachers", "all");
    o.put("distill.ipc", "1");
    Pipeline.Outcome outcome = Pipeline.run(spark, ConfigLoader.load(null, o), false);
    assertThat(outcome.manifest().observer().labelledBy()).containsExactly("convnet3", "convnet4");

    Dataset<Row> images = DistilledOutput.open(outcome.output(), spark.sparkContext().hadoopConfiguration())
        .images(spark, 1, 1, 16);
    for (String arch : List.of("convnet3", "convnet4")) {
      images = new ImageLogitsTransformer().setModelUri(tmp.resolve("out/observers/" + arch).toString())
          .setOutputCol(arch).transform(images);
    }
    List<Row> rows = images.collectAsList();
    assertThat(rows).hasSize(3);
    for (Row r : rows) {
      List<Float> stored = r.getList(r.fieldIndex("soft_label"));
      List<Float> a = r.getList(r.fieldIndex("convnet3"));
      List<Float> b = r.getList(r.fieldIndex("convnet4"));
      assertThat(a).isNotEqualTo(b);
      for (int i = 0; i < stored.size(); i++) {
        assertThat(stored.get(i)).isCloseTo((a.get(i) + b.get(i)) / 2, within(1e-4f));
      }
    }
  }

  @Test
  void aValidationSliceIsCarvedFromTrainingAndNoStageSeesIt(@TempDir Path tmp) throws Exception {
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.input.validation", "6");
    o.put("distill.fault.fail-after", "ingest");
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(dev.distill.job.stage.FaultHook.InjectedFault.class);
    Path stages = tmp.resolve(".out.staging/_stages");
    List<Row> train = spark.read().parquet(stages.resolve("train.parquet").toString()).collectAsList();
    List<Row> validation = spark.read().parquet(stages.resolve("validation.parquet").toString()).collectAsList();
    List<Row> test = spark.read().parquet(stages.resolve("test.parquet").toString()).collectAsList();
    assertThat(train).hasSize(24); // 30 readable images (the corrupt file is a reject), 6 held out
    assertThat(validation).hasSize(6);
    assertThat(validation.stream().map(r -> r.getInt(1)).toList()).containsOnly(0, 1, 2)
        .filteredOn(l -> l == 0).hasSize(2);
    java.util.Set<String> trainIds = new java.util.HashSet<>(train.stream().map(r -> r.getString(0)).toList());
    assertThat(validation).noneMatch(r -> trainIds.contains(r.getString(0)));
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Row r : train) {
      seen.add(java.util.HexFormat.of().formatHex(r.<byte[]>getAs("pixels")));
    }
    for (Row r : validation) {
      seen.add(java.util.HexFormat.of().formatHex(r.<byte[]>getAs("pixels")));
    }
    assertThat(test).noneMatch(r -> seen.contains(java.util.HexFormat.of().formatHex(r.<byte[]>getAs("pixels"))));

    o.remove("distill.fault.fail-after");
    Pipeline.Outcome outcome = Pipeline.run(spark, ConfigLoader.load(null, o), false);
    assertThat(outcome.manifest().input().validationImages()).isEqualTo(6);
    // the observer's validation accuracy after each of its 2 epochs
    assertThat(outcome.manifest().observer().trained().get("convnet3").validationAccuracyByEpoch())
        .hasSize(2).allMatch(a -> a >= 0 && a <= 1);
    assertThat(outcome.manifest().timingsMs()).containsKey("observe/convnet3");
    java.util.Set<String> held = new java.util.HashSet<>(validation.stream().map(r -> r.getString(0)).toList());
    for (Row l : TinyData.labelsAndProvenance(spark, tmp.resolve("out"))) {
      assertThat(l.getList(l.fieldIndex("sources"))).noneMatch(held::contains);
    }
  }

  @Test
  void theTestSplitMustBeHeldOut(@TempDir Path tmp) throws IOException {
    Map<String, String> same = tiny(tmp.resolve("out"));
    same.put("distill.input.test-path", data.resolve("train").toString());
    assertThatThrownBy(() -> ConfigLoader.load(null, same))
        .hasMessageContaining("distill.input.test-path = ")
        .hasMessageContaining("is the training split (distill.input.path)");

    Path leaky = TinyData.folder(tmp.resolve("leaky"), 3, 2, 16);
    Files.copy(data.resolve("train/class2/img007.png"), leaky.resolve("class2/copied.png"));
    Map<String, String> o = tiny(tmp.resolve("out"));
    o.put("distill.input.test-path", leaky.toString());
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(InputError.class)
        .hasMessageContaining("shares images with the training split, pixel for pixel, e.g. [test class2/copied.png "
            + "= train class2/img007.png]");
  }

  @Test
  void anExistingOutputIsNotOverwrittenUnlessAsked(@TempDir Path tmp) throws IOException {
    Files.createDirectories(tmp.resolve("out"));
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, tiny(tmp.resolve("out"))), false))
        .hasMessageContaining("already exists");
  }
}
