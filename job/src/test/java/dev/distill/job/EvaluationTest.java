package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.eval.Evaluation;
import dev.distill.job.eval.ExportedStudent;
import dev.distill.job.eval.StudentsExported;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.read.InputError;
import dev.distill.udf.train.ImageSet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Students trained on a tiny distilled output and on the baselines, with every label mode, and its report. */
class EvaluationTest extends SharedSpark {
  private static final Pattern INLINE_PNG = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)");

  /** Distils a tiny three-class folder dataset into tmp/out with these overrides, then evaluates it. */
  private static JsonNode distillAndEvaluate(Path tmp, Map<String, String> overrides) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 10, 16);
    TinyData.folder(tmp.resolve("test"), 3, 5, 16);
    DistillConfig config = ConfigLoader.load(null, withTest(tmp, overrides));
    Pipeline.run(spark, config, false);
    Evaluation.run(spark, config, tmp.resolve("out").toString());
    return new ObjectMapper().readTree(tmp.resolve("out/evaluation.json").toFile());
  }

  @Test
  void dataSeedsDistilAgainDrawFreshSubsetsAndPairByDataSeed(@TempDir Path tmp) throws Exception {
    Map<String, String> o = new HashMap<>();
    o.put("distill.ipc", "1");
    o.put("distill.evaluate.epochs", "2");
    o.put("distill.evaluate.label-modes", "[static]");
    o.put("distill.evaluate.data-seeds", "[0, 5, 9]");
    o.put("distill.evaluate.baselines", "[random]");
    JsonNode report = distillAndEvaluate(tmp, o);
    assertThat(report.get("runs")).hasSize(6); // (rded, random) × 3 data seeds, one student each
    for (JsonNode run : report.get("runs")) {
      assertThat(run.get("seed").asLong()).isEqualTo(run.get("data_seed").asLong());
    }
    for (JsonNode s : report.get("summary")) {
      assertThat(s.get("data_seeds").asInt()).isEqualTo(3);
      assertThat(s.get("seeds").asInt()).isEqualTo(3);
    }
    assertThat(report.get("ior")).hasSize(1);
    assertThat(report.get("ior").get(0).get("n").asInt()).isEqualTo(3);
    assertThat(report.get("ior").get(0).get("paired_by").asText()).isEqualTo("data seed and student seed");
    assertThat(report.get("timings_ms").has("eval-distill")).isTrue();
  }

  @Test
  void keptDistillationsOfOtherDataSeedsAreReusedOnlyForTheSameSettingsAndInput(@TempDir Path tmp) throws Exception {
    Path kept = tmp.resolve("redistilled");
    Map<String, String> o = new HashMap<>(Map.of("distill.ipc", "1", "distill.evaluate.epochs", "1",
        "distill.evaluate.label-modes", "[static]", "distill.evaluate.data-seeds", "[0, 5]",
        "distill.evaluate.baselines", "[random]", "distill.evaluate.redistilled-path", kept.toString()));
    distillAndEvaluate(tmp, o);
    assertThat(keptDistillations(kept)).hasSize(1);
    Path seed5 = keptDistillations(kept).get(0);
    FileTime written = Files.getLastModifiedTime(seed5.resolve("manifest.json"));
    // The other label mode needs the same distillation: it is read back, not made again.
    o.put("distill.evaluate.label-modes", "[teacher]");
    Evaluation.run(spark, ConfigLoader.load(null, withTest(tmp, o)), tmp.resolve("out").toString());
    assertThat(keptDistillations(kept)).containsExactly(seed5);
    assertThat(Files.getLastModifiedTime(seed5.resolve("manifest.json"))).isEqualTo(written);
    // A rewritten input file (same bytes, new modification time) is not trusted: distilled again,
    // under another key, into the same images (distillation is deterministic).
    Path image;
    try (Stream<Path> files = Files.walk(tmp.resolve("train"))) {
      image = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
    }
    Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 60_000));
    Evaluation.run(spark, ConfigLoader.load(null, withTest(tmp, o)), tmp.resolve("out").toString());
    List<Path> both = keptDistillations(kept);
    assertThat(both).hasSize(2).contains(seed5);
    assertThat(imageBytes(both.get(0))).isEqualTo(imageBytes(both.get(1))).isNotEmpty();
  }

  /** The kept distillations: only data seed 5's, as the output's own seed (0) is never distilled again. */
  private static List<Path> keptDistillations(Path kept) throws IOException {
    try (Stream<Path> dirs = Files.list(kept)) {
      List<Path> all = dirs.sorted().toList();
      assertThat(all).allSatisfy(d -> assertThat(d.getFileName().toString()).matches("[0-9a-f]{20}-seed-5"));
      return all;
    }
  }

  /** Every image file of an output, by relative name. */
  private static Map<String, String> imageBytes(Path output) throws IOException {
    Map<String, String> out = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.walk(output.resolve("images"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(output.relativize(f).toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  @Test
  void trainsStudentsOnTheOutputAndBaselinesAndWritesMeanAndSpread(@TempDir Path tmp) throws Exception {
    Map<String, String> o = new HashMap<>();
    o.put("distill.evaluate.ipcs", "[1]");
    o.put("distill.evaluate.epochs", "6");
    o.put("distill.evaluate.eval-every", "2");
    o.put("distill.evaluate.eval-from", "0.5");
    o.put("distill.evaluate.label-modes", "[static, teacher, hard]");
    o.put("distill.evaluate.seeds", "[0, 1]");
    o.put("distill.evaluate.baselines", "[random, random-ipc, full]");
    o.put("distill.evaluate.full-epochs", "1");
    o.put("distill.evaluate.full-batch-size", "8");
    JsonNode report = distillAndEvaluate(tmp, o);
    // rded, random (equal bytes) and random-ipc at IPC 1 and 2: 3 label modes each; full: hard only
    // → 19 groups, 2 seeds each
    assertThat(report.get("summary")).hasSize(19);
    assertThat(report.get("runs")).hasSize(38);
    Map<Integer, Long> distilledBytes = new HashMap<>();
    Map<Integer, Integer> outputBatch = new HashMap<>();
    for (JsonNode s : report.get("summary")) {
      if (s.get("dataset").asText().equals("rded")) {
        distilledBytes.put(s.get("ipc").asInt(), s.get("bytes").get("total").asLong());
        outputBatch.put(s.get("ipc").asInt(), s.get("batch_size").asInt());
        assertThat(s.get("bytes").get("images").asLong()).isPositive();
      }
      if (s.get("labels").asText().equals("teacher") && s.has("bytes")) {
        assertThat(s.get("bytes").get("teacher").asLong()).isEqualTo(report.get("teacher_bytes").asLong()).isPositive();
      }
    }
    for (JsonNode s : report.get("summary")) {
      if (s.get("dataset").asText().equals("random")) {
        // equal bytes: no more than the output, and short of it by less than one image per class
        long budget = distilledBytes.get(s.get("ipc").asInt());
        assertThat(s.get("bytes").get("total").asLong()).isLessThanOrEqualTo(budget).isGreaterThan(budget - 3 * 400);
      }
    }
    for (JsonNode s : report.get("summary")) {
      assertThat(s.get("seeds").asInt()).isEqualTo(2);
      assertThat(s.get("best").get("mean").asDouble()).isBetween(0.0, 1.0);
      assertThat(s.get("best").get("mean").asDouble()).isGreaterThanOrEqualTo(s.get("last").get("mean").asDouble() - 1e-12);
      int images = s.get("train_images").asInt();
      if (s.get("dataset").asText().equals("full")) {
        assertThat(s.get("ipc").isNull()).isTrue();
        assertThat(images).isEqualTo(30);
      } else if (!s.get("dataset").asText().equals("random")) {
        // 3 classes × the budget; RDED's batch rule gives 10 at IPC 1 and 50 above, capped at the set size
        assertThat(images).isEqualTo(3 * s.get("ipc").asInt());
        assertThat(s.get("batch_size").asInt()).isEqualTo(images);
      }
    }
    // Baselines train exactly as the output they are compared with: the same batch size at each
    // budget, whatever their image count (equal bytes buys a different one).
    assertThat(report.get("summary")).filteredOn(s -> s.get("dataset").asText().startsWith("random"))
        .hasSize(12).allSatisfy(s -> assertThat(s.get("batch_size").asInt()).as(s.toString())
            .isEqualTo(outputBatch.get(s.get("ipc").asInt())));
    // IOR: the output against random at each budget and label mode, final epoch, paired by seed
    assertThat(report.get("ior")).hasSize(12); // 2 budgets × 3 label modes × 2 random baselines
    for (JsonNode c : report.get("ior")) {
      assertThat(c.get("n").asInt()).isEqualTo(2);
      assertThat(c.get("p_value").asDouble()).isBetween(0.0, 1.0);
      assertThat(c.get("ci95").get(0).asDouble()).isLessThanOrEqualTo(c.get("mean_difference").asDouble());
    }
    JsonNode run = report.get("runs").get(0);
    // evaluated after epochs 4 and 6: past half of the 6 epochs, every 2
    assertThat(run.get("test_accuracy_by_epoch").get(0).get(0).asInt()).isEqualTo(4);
    assertThat(run.get("test_accuracy_by_epoch").get(1).get(0).asInt()).isEqualTo(6);
    assertThat(report.get("protocol").get("reported").asText()).contains("best of the test evaluations after 50%");
    assertThat(tmp.resolve(".out.evaluation")).doesNotExist();

    Path page = tmp.resolve("out/report.html");
    String html = Files.readString(page);
    assertThat(html).contains("images per class (log scale)", "random / convnet3 / teacher", "full / convnet3 / hard",
        "best of last 50 %", "No record was rejected");
    List<BufferedImage> sheets = inlinePngs(html);
    assertThat(sheets).hasSize(3); // one contact sheet per class
    for (int c = 0; c < 3; c++) {
      assertSheetShows(sheets.get(c), classImages(tmp.resolve("out/images"), c));
    }
    BufferedImage shot = renderInChromium(page, tmp);
    assertThat(find(shot, sheets.get(0))).as("class 0's contact sheet, pixel for pixel, on the rendered page").isTrue();
  }

  @Test
  void stitchedOutputsTrainWithShuffledPatchesAndBaselinesDoNot(@TempDir Path tmp) throws Exception {
    JsonNode report = distillAndEvaluate(tmp, Map.of("distill.rded.factor", "2", "distill.rded.pool-size", "8",
        "distill.evaluate.epochs", "2", "distill.evaluate.label-modes", "[static]", "distill.evaluate.seeds", "[0]",
        "distill.input.validation", "3"));
    assertThat(report.get("protocol").get("augmentation").asText())
        .startsWith("distilled images: ShufflePatches(2) + RandomResizedCrop(scale 1/2..1")
        .endsWith("real images: horizontal flip");
    assertThat(report.get("summary")).extracting(s -> s.get("dataset").asText()).containsExactly("rded", "random");
    // With a validation split every student is also scored on it (one image per class: 0, 1/3, 2/3 or 1).
    for (JsonNode run : report.get("runs")) {
      double v = run.get("validation").asDouble();
      assertThat(Math.abs(v * 3 - Math.round(v * 3))).isLessThan(1e-9);
      assertThat(v).isBetween(0.0, 1.0);
    }
    assertThat(report.get("summary")).allSatisfy(s -> assertThat(s.get("validation").get("mean").isNumber()).isTrue());
  }

  @Test
  void anInterruptedEvaluationResumesFromItsFinishedStudentsAndOnlyFromTheSameContent(@TempDir Path tmp)
      throws Exception {
    Path runs = tmp.resolve("runs");
    Map<String, String> o = new java.util.HashMap<>(Map.of("distill.evaluate.epochs", "2",
        "distill.evaluate.label-modes", "[static, teacher]", "distill.evaluate.seeds", "[0]",
        "distill.evaluate.runs-path", runs.toString()));
    JsonNode first = distillAndEvaluate(tmp, o);
    assertThat(first.get("resumed_runs").asLong()).isZero();
    try (Stream<Path> files = Files.list(runs)) {
      assertThat(files.count()).isEqualTo(4); // (rded, random) × (static, teacher)
    }
    // One student's file lost, as if the evaluation had been killed before it finished: killed, so
    // its scratch tables are still there.
    try (Stream<Path> files = Files.list(runs)) {
      Files.delete(files.filter(f -> f.getFileName().toString().matches("random-ipc2-d0-convnet3-teacher-s0-[0-9a-f]{20}\\.json"))
          .findFirst().orElseThrow());
    }
    Path stale = tmp.resolve(".out.evaluation/_work/distilled-2-0.parquet");
    Files.createDirectories(stale);
    Files.writeString(stale.resolve("part-00000.parquet"), "left by a killed run");
    DistillConfig config = ConfigLoader.load(null, withTest(tmp, o));
    Evaluation.run(spark, config, tmp.resolve("out").toString());
    JsonNode again = new ObjectMapper().readTree(tmp.resolve("out/evaluation.json").toFile());
    assertThat(again.get("resumed_runs").asLong()).isEqualTo(3);
    assertThat(again.get("runs")).filteredOn(r -> !r.has("resumed")).singleElement()
        .satisfies(r -> assertThat(r.get("labels").asText() + " " + r.get("dataset").asText()).isEqualTo("teacher random"));
    // Deterministic training: the retrained student scores what the lost one did, and every run reads back whole.
    assertThat(again.get("runs").toString().replace(",\"resumed\":true", "").replaceAll("\"millis\":\\d+", ""))
        .isEqualTo(first.get("runs").toString().replaceAll("\"millis\":\\d+", ""));
    // Another protocol is other content: nothing is reused.
    o.put("distill.evaluate.epochs", "3");
    Evaluation.run(spark, ConfigLoader.load(null, withTest(tmp, o)), tmp.resolve("out").toString());
    JsonNode other = new ObjectMapper().readTree(tmp.resolve("out/evaluation.json").toFile());
    assertThat(other.get("resumed_runs").asLong()).isZero();
    // Without runs-path the runs are kept beside the output only until evaluation.json is written.
    o.remove("distill.evaluate.runs-path");
    Evaluation.run(spark, ConfigLoader.load(null, withTest(tmp, o)), tmp.resolve("out").toString());
    assertThat(tmp.resolve(".out.evaluation-runs")).doesNotExist();
  }

  @Test
  void exportedStudentsTrainElsewhereAndTheirRunsCompleteTheEvaluation(@TempDir Path tmp) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of("distill.evaluate.epochs", "2",
        "distill.evaluate.label-modes", "[static, teacher]", "distill.evaluate.seeds", "[0]",
        "distill.evaluate.runs-path", tmp.resolve("runs-here").toString()));
    JsonNode here = distillAndEvaluate(tmp, o);
    // Exported instead of trained: each student's inputs are written and the evaluation stops.
    Path export = tmp.resolve("export");
    Path runs = tmp.resolve("runs-elsewhere");
    o.put("distill.evaluate.runs-path", runs.toString());
    o.put("distill.evaluate.export-path", export.toString());
    DistillConfig exporting = ConfigLoader.load(null, withTest(tmp, o));
    assertThatThrownBy(() -> Evaluation.run(spark, exporting, tmp.resolve("out").toString()))
        .isInstanceOf(StudentsExported.class).hasMessageContaining("4 of 4 students were written to " + export);
    assertThat(runs).doesNotExist();
    // Trained from the files alone, as bench/ExportedStudents.java does on another machine: the export
    // is moved first, so teacher-label students must find their teachers inside it.
    Path exported = tmp.resolve("exported-elsewhere");
    Files.move(export, exported);
    ImageSet test = ExportedStudent.readSplit(Files.newInputStream(exported.resolve(ExportedStudent.TEST)));
    Path validationFile = exported.resolve(ExportedStudent.VALIDATION);
    ImageSet validation = Files.exists(validationFile)
        ? ExportedStudent.readSplit(Files.newInputStream(validationFile)) : null;
    List<Path> files;
    try (Stream<Path> list = Files.list(exported)) {
      files = list.filter(f -> f.toString().endsWith(ExportedStudent.SUFFIX)).toList();
    }
    assertThat(files).hasSize(4);
    Files.createDirectories(runs);
    DistillConfig summarising = ConfigLoader.load(null, withTest(tmp, o));
    for (Path f : files) {
      // The plan beside the students names every run: one still missing is an error that says where.
      if (f == files.get(files.size() - 1)) {
        assertThatThrownBy(() -> Evaluation.summarise(summarising, exported.toString(), new Configuration()))
            .isInstanceOf(InputError.class).hasMessageContaining("1 of the plan's 4 student runs are not in " + runs);
      }
      ExportedStudent s = ExportedStudent.read(Files.newInputStream(f));
      assertThat(s.teachers()).isEqualTo(s.labels().equals("teacher") ? List.of("teachers/0") : List.of());
      Files.write(runs.resolve(s.name()), s.train(exported, ai.djl.Device.cpu(), test, validation).toJson());
    }
    // Summarised from the plan and the runs alone, as on another CPU type, where distilling again would
    // label in other last bits and name every run differently.
    Evaluation.summarise(summarising, exported.toString(), new Configuration());
    JsonNode fromPlan = new ObjectMapper().readTree(exported.resolve(Evaluation.FILE).toFile());
    // Run again without export-path: every student is found, and each scored what it did trained here.
    o.remove("distill.evaluate.export-path");
    Evaluation.run(spark, ConfigLoader.load(null, withTest(tmp, o)), tmp.resolve("out").toString());
    JsonNode again = new ObjectMapper().readTree(tmp.resolve("out/evaluation.json").toFile());
    assertThat(again.get("resumed_runs").asLong()).isEqualTo(4);
    assertThat(again.get("runs").toString().replace(",\"resumed\":true", "").replaceAll("\"millis\":\\d+", ""))
        .isEqualTo(here.get("runs").toString().replaceAll("\"millis\":\\d+", ""));
    // Both ways give the same evaluation.json, but for how long this run's own steps took.
    ((ObjectNode) again).remove("timings_ms");
    assertThat(fromPlan).isEqualTo(again);
  }

  @Test
  void aUnitExportedOneDataSeedAtATimeAddsUpToOneExportOfEveryDataSeed(@TempDir Path tmp) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of("distill.ipc", "1", "distill.evaluate.label-modes", "[static]",
        "distill.evaluate.baselines", "[random]", "distill.evaluate.runs-path", tmp.resolve("runs").toString(),
        "distill.input.validation", "3"));
    TinyData.folder(tmp.resolve("train"), 3, 10, 16);
    TinyData.folder(tmp.resolve("test"), 3, 5, 16);
    String out = tmp.resolve("out").toString();
    Pipeline.run(spark, ConfigLoader.load(null, withTest(tmp, o)), false);
    Path all = tmp.resolve("all");
    exportStudents(tmp, o, "[0, 5]", out, all);
    // As bench/yardstick.sh exports a unit that outlasts a session: each data seed from its own
    // distillation (taught by the same observer), each export kept as it finishes — data seed 5 first —
    // and evaluated with the output's own seed, which draws the validation slice and the baselines' pool.
    Path bySeed = tmp.resolve("by-seed");
    Map<String, String> seed5 = new HashMap<>(o);
    seed5.putAll(Map.of("distill.seed", "5", "distill.output.path", tmp.resolve("out5").toString(),
        "distill.observer.path", DistilledOutput.open(out, new Configuration()).observer()));
    Pipeline.run(spark, ConfigLoader.load(null, withTest(tmp, seed5)), false);
    exportStudents(tmp, o, "[5]", tmp.resolve("out5").toString(), bySeed);
    exportStudents(tmp, o, "[0]", out, bySeed);
    assertThat(new ObjectMapper().readTree(bySeed.resolve("plan.json").toFile()).get("runs")).hasSize(4);
    assertThat(Files.readString(bySeed.resolve("plan.json"))).isEqualTo(Files.readString(all.resolve("plan.json")));
    assertThat(studentFiles(bySeed)).isEqualTo(studentFiles(all)).hasSize(4);
    // Another unit's export into the same folder is refused, and the plan there is kept.
    o.putAll(Map.of("distill.ipc", "2", "distill.output.overwrite", "true"));
    Pipeline.run(spark, ConfigLoader.load(null, withTest(tmp, o)), false);
    o.putAll(Map.of("distill.evaluate.data-seeds", "[0]", "distill.evaluate.export-path", bySeed.toString()));
    DistillConfig other = ConfigLoader.load(null, withTest(tmp, o));
    assertThatThrownBy(() -> Evaluation.run(spark, other, out)).isInstanceOf(InputError.class)
        .hasMessageContaining(bySeed.resolve("plan.json") + " plans another evaluation")
        .hasMessageContaining("rded at IPC 2 over 3 classes, not rded at IPC 1 over 3 classes");
    assertThat(Files.readString(bySeed.resolve("plan.json"))).isEqualTo(Files.readString(all.resolve("plan.json")));
    assertThat(studentFiles(bySeed)).isEqualTo(studentFiles(all));
  }

  private static void exportStudents(Path tmp, Map<String, String> o, String dataSeeds, String output, Path into) {
    Map<String, String> exporting = new HashMap<>(o);
    exporting.put("distill.evaluate.data-seeds", dataSeeds);
    exporting.put("distill.evaluate.export-path", into.toString());
    DistillConfig c = ConfigLoader.load(null, withTest(tmp, exporting));
    assertThatThrownBy(() -> Evaluation.run(spark, c, output)).isInstanceOf(StudentsExported.class);
  }

  private static List<String> studentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(ExportedStudent.SUFFIX)).sorted().toList();
    }
  }

  private static Map<String, String> withTest(Path tmp, Map<String, String> overrides) {
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), tmp.resolve("out").toString());
    o.put("distill.input.test-path", tmp.resolve("test").toString());
    o.putAll(overrides);
    return o;
  }

  private static List<BufferedImage> inlinePngs(String html) throws IOException {
    List<BufferedImage> images = new ArrayList<>();
    Matcher m = INLINE_PNG.matcher(html);
    while (m.find()) {
      images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
    }
    return images;
  }

  private static List<BufferedImage> classImages(Path images, int label) throws IOException {
    try (Stream<Path> dirs = Files.list(images)) {
      Path dir = dirs.filter(d -> d.getFileName().toString().startsWith(String.format("%03d_", label))).findFirst().orElseThrow();
      try (Stream<Path> files = Files.list(dir)) {
        List<BufferedImage> out = new ArrayList<>();
        for (Path f : files.sorted().toList()) {
          out.add(ImageIO.read(f.toFile()));
        }
        return out;
      }
    }
  }

  /** The sheet is the class's images side by side, best first, each enlarged by a whole factor. */
  private static void assertSheetShows(BufferedImage sheet, List<BufferedImage> images) {
    int side = images.get(0).getHeight();
    int scale = sheet.getHeight() / side;
    assertThat(scale).isGreaterThan(1);
    assertThat(sheet.getWidth()).isEqualTo(images.size() * (side * scale + 2) - 2);
    for (int i = 0; i < images.size(); i++) {
      for (int y = 0; y < sheet.getHeight(); y++) {
        for (int x = 0; x < side * scale; x++) {
          int gray = images.get(i).getRaster().getSample(x / scale, y / scale, 0);
          int rgb = sheet.getRGB(i * (side * scale + 2) + x, y);
          assertThat(rgb & 0xffffff).as("image %d at (%d, %d)", i, x, y).isEqualTo(gray * 0x010101);
        }
      }
    }
  }

  /** The report opens offline in a real browser (Debian's chromium); returns the screenshot. */
  private static BufferedImage renderInChromium(Path report, Path tmp) throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium), "chromium is not installed (apt-get install chromium)");
    Path shot = tmp.resolve("report.png");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--force-color-profile=srgb", "--force-device-scale-factor=1",
        "--user-data-dir=" + tmp.resolve("chromium-profile"), "--window-size=1200,2400",
        "--screenshot=" + shot, report.toUri().toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    BufferedImage png = ImageIO.read(shot.toFile());
    assertThat(png.getWidth()).isEqualTo(1200);
    // Kept for people to look at: job/target/evaluation-report.png
    Files.copy(shot, Path.of("target", "evaluation-report.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < png.getHeight(); y += 3) {
      for (int x = 0; x < png.getWidth(); x += 3) {
        colours.add(png.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("distinct colours on the page").isGreaterThan(20);
    return png;
  }

  /** Whether {@code part} appears in {@code page} at some position, each channel within 3 levels. */
  private static boolean find(BufferedImage page, BufferedImage part) {
    for (int y = 0; y + part.getHeight() <= page.getHeight(); y++) {
      for (int x = 0; x + part.getWidth() <= page.getWidth(); x++) {
        if (matches(page, part, x, y)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matches(BufferedImage page, BufferedImage part, int x0, int y0) {
    for (int y = 0; y < part.getHeight(); y++) {
      for (int x = 0; x < part.getWidth(); x++) {
        int a = page.getRGB(x0 + x, y0 + y);
        int b = part.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          if (Math.abs(((a >> shift) & 255) - ((b >> shift) & 255)) > 3) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
