package dev.distill.job.method.graphcut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.job.Pipeline;
import dev.distill.job.SharedSpark;
import dev.distill.job.TinyData;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.output.DistilledOutput;
import dev.distill.job.output.Manifest;
import dev.distill.job.read.InputError;
import dev.distill.udf.image.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph-cut method through the job: real images, chosen per class, alone or re-coloured. */
class GraphCutMethodTest extends SharedSpark {
  @TempDir static Path tmp;
  static Path train;
  /** The first run's observer, reused by the others (they test selection, not training). */
  static String observer;

  @BeforeAll
  static void data() throws Exception {
    train = TinyData.folder(tmp.resolve("train"), 3, 12, 16);
  }

  @Test
  void choosesRealTrainingImagesPerClassReproducibly() throws Exception {
    List<Row> first = run("embedding", Map.of());
    assertThat(first).hasSize(6);
    for (Row r : first) {
      String source = r.getAs("source");
      byte[] stored = Files.readAllBytes(tmp.resolve("out-embedding/images/" + r.getAs("id") + ".png"));
      assertThat(ImageCodec.decode(stored, 1).data()).as(source)
          .isEqualTo(ImageCodec.decode(Files.readAllBytes(train.resolve(source)), 1).data());
      assertThat(source).startsWith("class" + r.<Integer>getAs("label") + "/");
    }
    assertThat(first.stream().map(r -> r.<String>getAs("source")).distinct()).hasSize(6);
    assertThat(run("embedding", Map.of())).isEqualTo(first);
    assertThat(Files.readString(tmp.resolve("out-embedding/report.html"))).contains("<b>Graph cut</b>");
  }

  @Test
  void realismOnlyTakesTheLowestCrossEntropyAndTwoRoundsGiveAFullSelection() throws Exception {
    List<Row> realism = run("histogram", Map.of("distill.graphcut.realism-weight", "1",
        "distill.graphcut.features", "histogram"));
    // With w = 1 the greedy score is p(label | image): chosen in descending realism.
    for (int i = 0; i + 1 < realism.size(); i++) {
      Row a = realism.get(i);
      Row b = realism.get(i + 1);
      if (a.<Integer>getAs("label").equals(b.getAs("label"))) {
        assertThat(a.<Double>getAs("ce")).isLessThanOrEqualTo(b.getAs("ce"));
      }
    }
    List<Row> twoRounds = run("parts", Map.of("distill.graphcut.parts-per-class", "2",
        "distill.graphcut.features", "both", "distill.graphcut.greedy", "stochastic"));
    assertThat(twoRounds).hasSize(6);
    assertThat(twoRounds.stream().map(r -> r.<Integer>getAs("label")).distinct()).hasSize(3);
  }

  @Test
  void combinesWithThePaletteOnQuantisedFeatures() throws Exception {
    List<Row> rows = run("palette", Map.of("distill.methods", "[graphcut, palette]", "distill.palette.colours", "4",
        "distill.graphcut.features", "histogram", "distill.graphcut.quantise-colours", "4"));
    assertThat(rows).hasSize(18); // 4-colour images: 6 per class fit the ipc-2 budget (see PaletteMethodTest)
    assertThat(rows).allSatisfy(r -> assertThat(r.<Integer>getAs("colours")).isBetween(2, 4));
  }

  @Test
  void aBandThatLeavesTooFewCandidatesFailsNamingTheKeys() {
    assertThatThrownBy(() -> run("band", Map.of("distill.graphcut.drop-easiest", "0.85",
        "distill.graphcut.drop-hardest", "0.1"))).isInstanceOf(InputError.class)
        .hasMessageContaining("class 0").hasMessageContaining("only 1 of its 12 training images are candidates")
        .hasMessageContaining("drop-easiest = 0.85");
  }

  /** Runs [graphcut] (or the given methods) into out-NAME and returns its labels and provenance by id. */
  private static List<Row> run(String name, Map<String, String> overrides) throws Exception {
    Map<String, String> o = TinyData.job(train.toString(), tmp.resolve("out-" + name).toString());
    o.put("distill.methods", "[graphcut]");
    o.put("distill.output.overwrite", "true");
    o.putAll(overrides);
    if (observer != null) {
      o.put("distill.observer.path", observer);
    }
    Manifest manifest = Pipeline.run(spark, ConfigLoader.load(null, o), false).manifest();
    if (observer == null) {
      observer = DistilledOutput.open(tmp.resolve("out-" + name).toString(), spark.sparkContext().hadoopConfiguration())
          .observer();
    }
    assertThat(manifest.methodBlocks()).containsKey("graphcut");
    return TinyData.labelsAndProvenance(spark, tmp.resolve("out-" + name));
  }
}
