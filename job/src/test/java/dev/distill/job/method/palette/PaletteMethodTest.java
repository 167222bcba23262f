package dev.distill.job.method.palette;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.job.Pipeline;
import dev.distill.job.SharedSpark;
import dev.distill.job.TinyData;
import dev.distill.job.config.ConfigError;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.output.Manifest;
import dev.distill.udf.ml.ImageLogitsTransformer;
import dev.distill.udf.palette.IndexedPng;
import dev.distill.udf.palette.PaletteImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The palette method on top of a choosing method: the budget buys more, smaller images; they are
 * stored as indexed PNGs of at most K colours; the manifest's bytes are the files'; the stored
 * labels are the observer's on the re-coloured image.
 */
class PaletteMethodTest extends SharedSpark {

  @Test
  void randomPlusMedianCutBuysMoreIndexedImagesLabelledAsStored(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 12, 16);
    Path out = tmp.resolve("out");
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());
    o.put("distill.methods", "[sample, palette]");
    o.put("distill.palette.colours", "4");
    Manifest manifest = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();

    // Strict accounting, 16 x 16 gray, 3 classes: ipc 2 is 2 x (256 + 12) bytes a class; a 4-colour
    // image costs 64 (2 bits a pixel) + 4 (palette) + 12 (label) = 80, so 6 fit per class.
    assertThat(manifest.ipc()).isEqualTo(6);
    assertThat(manifest.images()).isEqualTo(18);
    List<Path> pngs = pngs(out);
    assertThat(pngs).hasSize(18);
    long onDisk = 0;
    List<Row> decoded = new ArrayList<>();
    for (Path png : pngs) {
      byte[] bytes = Files.readAllBytes(png);
      onDisk += bytes.length;
      assertThat(bytes[24]).as("bit depth of %s", png).isEqualTo((byte) 2);
      assertThat(bytes[25]).as("colour type of %s: indexed", png).isEqualTo((byte) 3);
      PaletteImage image = IndexedPng.decode(bytes, 1);
      assertThat(image.colours()).isBetween(2, 4);
      String id = out.resolve("images").relativize(png).toString().replace(".png", "");
      decoded.add(RowFactory.create(id, image.toPixels().data()));
    }
    assertThat(manifest.bytes().images()).isEqualTo(onDisk);

    // Quantise, then label: the stored logits are the observer's on the stored image.
    StructType schema = new StructType().add("id", DataTypes.StringType).add("pixels", DataTypes.BinaryType);
    Map<String, List<Float>> relabelled = new java.util.HashMap<>();
    new ImageLogitsTransformer()
        .setModelUri(DistilledOutput.open(out.toString(), spark.sparkContext().hadoopConfiguration()).observer())
        .transform(spark.createDataFrame(decoded, schema)).collectAsList()
        .forEach(r -> relabelled.put(r.getString(0), r.getList(2)));
    List<Row> labels = spark.read().parquet(out.resolve("labels.parquet").toString()).collectAsList();
    assertThat(labels).hasSize(18);
    for (Row r : labels) {
      List<Float> stored = r.getList(r.fieldIndex("soft_label"));
      List<Float> again = relabelled.get(r.<String>getAs("id"));
      for (int k = 0; k < stored.size(); k++) {
        assertThat(stored.get(k)).isCloseTo(again.get(k), org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  /**
   * On-disk accounting: the files as written plus the label payload stay within the budget, per
   * class and in total, and the planner's item cost is measured, not modelled.
   */
  @Test
  void onDiskAccountingKeepsTheWrittenBytesWithinTheBudget(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 30, 16);
    for (String methods : List.of("[sample, palette]", "[sample]")) {
      Path out = tmp.resolve("out" + methods.length());
      Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());
      o.put("distill.methods", methods);
      o.put("distill.palette.colours", "4");
      o.put("distill.budget.accounting", "on-disk");
      Manifest manifest = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();
      long budget = manifest.budget().bytes();
      assertThat(budget).isEqualTo(2 * 3 * (256 + 12)); // ipc 2, as under strict accounting
      assertThat(manifest.budget().accounting()).isEqualTo("on-disk");
      assertThat(manifest.budget().unit()).contains("bytes on disk (measured)");
      long payload = manifest.bytes().softLabelPayload();
      assertThat(manifest.bytes().images() + payload).as(methods).isLessThanOrEqualTo(budget);
      assertThat(payload).isEqualTo(manifest.images() * 12L);
      List<Row> labels = spark.read().parquet(out.resolve("labels.parquet").toString()).collectAsList();
      for (int c = 0; c < 3; c++) {
        int label = c;
        long files = 0;
        long count = labels.stream().filter(r -> r.<Integer>getAs("label") == label).count();
        for (Row r : labels) {
          if (r.<Integer>getAs("label") == label) {
            files += Files.size(out.resolve(r.<String>getAs("path")));
          }
        }
        assertThat(files + 12 * count).as("class %d of %s", c, methods).isLessThanOrEqualTo(budget / 3);
        assertThat(count).isPositive();
      }
    }
  }

  @Test
  void aColourRunStoresRgbPalettesOfAtMostKColours(@TempDir Path tmp) throws Exception {
    TinyData.rgbFolder(tmp.resolve("train"), 3, 10, 16);
    Path out = tmp.resolve("out");
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());
    o.put("distill.input.channels", "3");
    o.put("distill.methods", "[rded, palette]");
    o.put("distill.palette.colours", "8");
    o.put("distill.budget.accounting", "paper"); // 2^(8 - 3) = 32 times the images of ipc 2: 64 a class
    o.put("distill.rded.pool-size", "64");
    o.put("distill.rded.short-class", "keep-all");
    Manifest manifest = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();

    assertThat(manifest.ipc()).isEqualTo(64);
    assertThat(manifest.images()).isEqualTo(30); // keep-all: every pool image of every class
    for (Path png : pngs(out)) {
      byte[] bytes = Files.readAllBytes(png);
      assertThat(bytes[24]).as("8 colours take 4 bits in PNG").isEqualTo((byte) 4);
      PaletteImage image = IndexedPng.decode(bytes, 3);
      assertThat(image.colours()).isBetween(2, 8);
      assertThat(image.toPixels().channels()).isEqualTo(3);
    }
    assertThat(Files.readString(out.resolve("report.html"))).contains("<b>Palette</b>", "at most 8 colours");
  }

  @Test
  void thePaletteNetworkIsTrainedAsATaskAndItsHardPaletteIsStored(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 12, 16);
    Path out = tmp.resolve("out");
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());
    o.put("distill.methods", "[sample, palette]");
    o.put("distill.palette.colours", "4");
    o.put("distill.palette.quantiser", "network");
    o.put("distill.palette.network.hidden", "32");
    o.put("distill.palette.network.iterations", "20");
    Manifest manifest = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();
    assertThat(manifest.methodBlocks().get("palette").get("network").get("iterations").asInt()).isEqualTo(20);
    assertThat(manifest.images()).isEqualTo(18);
    for (Path png : pngs(out)) {
      byte[] bytes = Files.readAllBytes(png);
      assertThat(bytes[25]).as("colour type of %s: indexed", png).isEqualTo((byte) 3);
      assertThat(IndexedPng.decode(bytes, 1).colours()).isBetween(1, 4);
    }
    assertThat(Files.readString(out.resolve("report.html"))).contains("a palette network (per-pixel MLP, 20 iterations");
  }

  @Test
  void aPaletteNeedsExactlyOneMethodThatChoosesImages(@TempDir Path tmp) throws Exception {
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), tmp.resolve("out").toString());
    o.put("distill.methods", "[palette]");
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false)).isInstanceOf(ConfigError.class)
        .hasMessageContaining("exactly one method must choose the images").hasMessageContaining("found none")
        .hasMessageContaining("rded, sample");
    o.put("distill.methods", "[rded, sample, palette]");
    assertThatThrownBy(() -> Pipeline.run(spark, ConfigLoader.load(null, o), false)).isInstanceOf(ConfigError.class)
        .hasMessageContaining("found [rded, sample]");
  }

  private static List<Path> pngs(Path out) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(out.resolve("images"))) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }
}
