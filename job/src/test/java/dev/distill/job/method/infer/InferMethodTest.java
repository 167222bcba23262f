package dev.distill.job.method.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.job.Pipeline;
import dev.distill.job.SharedSpark;
import dev.distill.job.TinyData;
import dev.distill.job.config.ConfigError;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.eval.Evaluation;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.output.Manifest;
import dev.distill.job.output.Materialized;
import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.infer.StoredCompensator;
import dev.distill.udf.ml.ImageLogitsTransformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INFER after random selection: the budget in bytes buys slots (a natural image per class plus
 * its share of a compensator and the composites' labels); the output stores natural images and
 * compensators only; the reader rebuilds each composite from them, and it is the image that was
 * labelled (the stored soft label is the observer's on the rebuilt composite); the materialized
 * export is an image folder of every training image; a budget that leaves
 * no natural image per class is refused at start with the smallest feasible budget.
 */
class InferMethodTest extends SharedSpark {

  @Test
  void storesNaturalImagesAndCompensatorsAndTheReaderRebuildsTheLabelledComposites(@TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("out");
    Map<String, String> o = job(tmp, out, 3);
    Manifest manifest = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();

    // Strict accounting, 16 x 16 gray, 3 classes, one teacher: ipc 3 is 3 x 3 x (256 + 12) = 2,412
    // bytes; a slot costs per class 256 + 12 (natural + label) + 12 (composite label)
    // + ceil(260 / 3) = 87 (a third of a compensator), x 3 classes = 1,101: two slots.
    assertThat(manifest.budget().itemsPerClass()).isEqualTo(2);
    assertThat(manifest.images()).isEqualTo(12);
    assertThat(manifest.ipc()).isEqualTo(4);
    try (Stream<Path> files = Files.walk(out.resolve("images"))) {
      assertThat(files.filter(Files::isRegularFile).count()).as("natural images stored").isEqualTo(6);
    }
    List<Row> compensators = spark.read().parquet(out.resolve("compensators.parquet").toString()).collectAsList();
    assertThat(compensators).hasSize(2);
    assertThat(manifest.bytes().compensators()).isEqualTo(Files.size(out.resolve("compensators.parquet")));
    assertThat(manifest.bytes().total())
        .isEqualTo(manifest.bytes().images() + manifest.bytes().labels() + manifest.bytes().compensators());

    List<Row> labels = spark.read().parquet(out.resolve("labels.parquet").toString()).orderBy("id").collectAsList();
    assertThat(labels).hasSize(12);
    Map<String, byte[]> stored = new HashMap<>();
    compensators.forEach(r -> stored.put(r.getAs("id"), r.getAs("data")));
    DistilledOutput distilled = DistilledOutput.open(out.toString(), spark.sparkContext().hadoopConfiguration());
    Map<String, byte[]> rebuilt = new HashMap<>();
    distilled.images(spark, manifest.ipc(), 1, 16).collectAsList().forEach(r -> rebuilt.put(r.getAs("id"), r.getAs("pixels")));
    assertThat(rebuilt).hasSize(12);
    int composites = 0;
    for (Row r : labels) {
      String compensator = r.getAs("compensator");
      if (compensator == null) {
        continue;
      }
      composites++;
      String natural = r.getAs("natural");
      assertThat(r.<String>getAs("path")).isEqualTo("images/" + natural + ".png");
      byte[] naturalPixels = ImageCodec.decode(Files.readAllBytes(out.resolve(r.<String>getAs("path"))), 1, 16, 16).data();
      byte[] expected = StoredCompensator.fromBytes(stored.get(compensator), 1, 16, 16)
          .apply(ImageCodec.decode(Files.readAllBytes(out.resolve(r.<String>getAs("path"))), 1, 16, 16)).data();
      assertThat(rebuilt.get(r.<String>getAs("id"))).isEqualTo(expected).isNotEqualTo(naturalPixels);
    }
    assertThat(composites).isEqualTo(6);

    // Labelled as rebuilt: the stored soft label is the observer's on the reader's composite.
    Map<String, List<Float>> relabelled = new HashMap<>();
    new ImageLogitsTransformer().setModelUri(distilled.observer())
        .transform(distilled.images(spark, manifest.ipc(), 1, 16).select("id", "pixels")).collectAsList()
        .forEach(r -> relabelled.put(r.getString(0), r.getList(2)));
    for (Row r : labels) {
      List<Float> soft = r.getList(r.fieldIndex("soft_label"));
      List<Float> again = relabelled.get(r.<String>getAs("id"));
      for (int k = 0; k < soft.size(); k++) {
        assertThat(soft.get(k)).isCloseTo(again.get(k), org.assertj.core.data.Offset.offset(1e-4f));
      }
    }

    // Materialized: an image folder of all 12 training images, composites as files of their own.
    Path folder = tmp.resolve("folder");
    Materialized.Summary exported = Materialized.write(spark, distilled, folder.toString(), 1, 16);
    assertThat(exported.images()).isEqualTo(12);
    assertThat(exported.composites()).isEqualTo(6);
    List<Row> exportedLabels = spark.read().parquet(folder.resolve("labels.parquet").toString()).collectAsList();
    assertThat(exportedLabels).hasSize(12);
    for (Row r : exportedLabels) {
      Path png = folder.resolve(r.<String>getAs("path"));
      assertThat(png.getParent().getParent().getFileName().toString()).isEqualTo("images");
      assertThat(ImageCodec.decode(Files.readAllBytes(png), 1, 16, 16).data()).isEqualTo(rebuilt.get(r.<String>getAs("id")));
    }
    assertThat(exported.imageBytes()).isGreaterThan(manifest.bytes().images());
  }

  @Test
  void aBudgetWithNoNaturalImagePerClassIsRefusedWithTheSmallestFeasibleOne(@TempDir Path tmp) throws Exception {
    Map<String, String> o = job(tmp, tmp.resolve("out"), 1);
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("distill.ipc = 1")
        .hasMessageContaining("1/3 compensator")
        .hasMessageContaining("the smallest feasible budget is distill.budget.bytes = 1101 (or distill.ipc = 2)");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void anEnsembleGetsOneCompensatorPerTeacherAndIsReusedByPath(@TempDir Path tmp) throws Exception {
    Path first = tmp.resolve("first");
    Map<String, String> o = job(tmp, first, 4);
    o.put("distill.observer.architectures", "[convnet3, mobilenet]");
    o.put("distill.label.teachers", "all");
    Manifest trained = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();
    // Two teachers: a slot costs per class 256 + 12 + 2 x 12 + ceil(2 x 260 / 3) = 466, x 3 = 1,398;
    // ipc 4 is 3,216 bytes: two slots, each with two compensators, so 2 + 4 images per class.
    assertThat(trained.budget().itemsPerClass()).isEqualTo(2);
    assertThat(trained.ipc()).isEqualTo(6);
    assertThat(trained.observer().labelledBy()).containsExactly("convnet3", "mobilenet");
    assertThat(spark.read().parquet(first.resolve("compensators.parquet").toString()).select("teacher").distinct().count())
        .isEqualTo(2);

    Path again = tmp.resolve("again");
    o.put("distill.output.path", again.toString());
    o.put("distill.observer.path", first.resolve("observers").toString());
    Manifest reused = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();
    assertThat(reused.observer().trainedByThisRun()).isFalse();
    assertThat(reused.observer().labelledBy()).containsExactly("convnet3", "mobilenet");
    for (String file : List.of("labels.parquet", "compensators.parquet")) {
      assertThat(again.resolve(file)).as(file).hasSameBinaryContentAs(first.resolve(file));
    }

    // Evaluated with both teachers: dynamic labels average them, and the report charges both.
    TinyData.folder(tmp.resolve("test"), 3, 4, 16);
    o.put("distill.input.test-path", tmp.resolve("test").toString());
    o.put("distill.evaluate.epochs", "2");
    o.put("distill.evaluate.label-modes", "[static, teacher]");
    o.put("distill.evaluate.baselines", "[random]");
    o.put("distill.evaluate.data-seeds", "[0, 1]");
    o.put("distill.evaluate.mixing", "mixup");
    Evaluation.run(spark, ConfigLoader.load(null, o), again.toString());
    JsonNode report = new ObjectMapper().readTree(again.resolve("evaluation.json").toFile());
    long bothTeachers = 0;
    for (String teacher : List.of("convnet3", "mobilenet")) {
      try (Stream<Path> files = Files.walk(first.resolve("observers").resolve(teacher))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          bothTeachers += Files.size(f);
        }
      }
    }
    assertThat(report.get("teacher_bytes").asLong()).isEqualTo(bothTeachers);
    assertThat(report.get("protocol").get("mixing").asText()).isEqualTo("mixup");
    assertThat(report.get("runs")).hasSize(8); // (infer, random) x (static, teacher) x 2 data seeds
    // The random baseline buys fewer images with the same bytes, yet trains with the output's batch size.
    assertThat(report.get("summary")).filteredOn(s -> s.get("labels").asText().equals("static"))
        .extracting(s -> s.get("train_images").asInt()).doesNotHaveDuplicates();
    assertThat(report.get("runs")).extracting(r -> r.get("batch_size").asInt()).containsOnly(
        report.get("runs").get(0).get("batch_size").asInt());
  }

  @Test
  void withThePaletteTheNaturalImagesAreIndexedPngsAndTheBudgetArbitrates(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    Map<String, String> o = job(tmp, out, 3);
    o.put("distill.methods", "[sample, palette, infer]");
    o.put("distill.palette.colours", "4");
    Manifest manifest = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();
    // A 4-colour natural image costs 64 + 4 + 12 = 80 bytes, INFER adds 12 + 87 a class and slot:
    // 2,412 / (3 x 179) = 4 slots, each natural image with one composite.
    assertThat(manifest.budget().itemsPerClass()).isEqualTo(4);
    assertThat(manifest.images()).isEqualTo(24);
    try (Stream<Path> files = Files.walk(out.resolve("images"))) {
      List<Path> pngs = files.filter(Files::isRegularFile).toList();
      assertThat(pngs).hasSize(12);
      for (Path png : pngs) {
        assertThat(Files.readAllBytes(png)[25]).as("colour type of %s: indexed", png).isEqualTo((byte) 3);
      }
    }
    DistilledOutput distilled = DistilledOutput.open(out.toString(), spark.sparkContext().hadoopConfiguration());
    assertThat(distilled.images(spark, manifest.ipc(), 1, 16).count()).isEqualTo(24);
  }

  /** [sample, infer] at {@code ipc} on 3 classes of 12 16×16 images, written under {@code tmp/train}. */
  private static Map<String, String> job(Path tmp, Path out, int ipc) throws java.io.IOException {
    TinyData.folder(tmp.resolve("train"), 3, 12, 16);
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());
    o.put("distill.ipc", String.valueOf(ipc));
    o.put("distill.methods", "[sample, infer]");
    o.put("distill.infer.iterations", "30");
    o.put("distill.infer.max-shift", "2");
    return o;
  }
}
