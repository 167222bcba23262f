package dev.distill.job.method;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.job.Pipeline;
import dev.distill.job.SharedSpark;
import dev.distill.job.TinyData;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.eval.Evaluation;
import dev.distill.udf.image.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A method registered only in the tests ({@code firstk}, test sources and one services line) runs
 * through the whole job: planned, labelled, written, evaluated against the random baseline and
 * shown in the report, with no change outside its package.
 */
class MethodPluginTest extends SharedSpark {
  @Test
  void aTestOnlyMethodIsDistilledEvaluatedAndReportedEndToEnd(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 10, 16);
    TinyData.folder(tmp.resolve("test"), 3, 4, 16);
    Path out = tmp.resolve("out");
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), out.toString());
    o.put("distill.input.test-path", tmp.resolve("test").toString());
    o.put("distill.methods", "[firstk]");
    o.put("distill.evaluate.epochs", "2");
    o.put("distill.evaluate.seeds", "[0]");
    o.put("distill.evaluate.label-modes", "[static]");
    DistillConfig config = ConfigLoader.load(null, o);
    Pipeline.Outcome outcome = Pipeline.run(spark, config, false);

    assertThat(outcome.manifest().method()).isEqualTo("firstk");
    assertThat(outcome.manifest().images()).isEqualTo(6);
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertThat(manifest.get("firstk").get("order").asText()).isEqualTo("id");
    assertThat(manifest.has("rded")).isFalse();
    List<String> stages = outcome.manifest().timingsMs().keySet().stream().filter(k -> !k.contains("/")).toList();
    assertThat(stages).containsExactly("ingest", "observe", "firstk", "label", "write");

    // The stored images are the training files, in id order, labelled by the observer.
    List<Row> labels = TinyData.labelsAndProvenance(spark, out);
    assertThat(labels).extracting(r -> r.<String>getAs("source"))
        .containsExactly("class0/img000.png", "class0/img001.png", "class1/img000.png", "class1/img001.png",
            "class2/img000.png", "class2/img001.png");
    assertThat(labels.get(0).getList(labels.get(0).fieldIndex("soft_label"))).hasSize(3);
    byte[] stored = Files.readAllBytes(out.resolve("images/001_class1/00001.png"));
    byte[] original = Files.readAllBytes(tmp.resolve("train/class1/img001.png"));
    assertThat(ImageCodec.decode(stored, 1).data()).isEqualTo(ImageCodec.decode(original, 1).data());

    JsonNode eval = Evaluation.run(spark, config, out.toString());
    assertThat(eval.get("method").asText()).isEqualTo("firstk");
    assertThat(eval.get("summary")).extracting(s -> s.get("dataset").asText()).containsExactly("firstk", "random");
    String report = Files.readString(out.resolve("report.html"));
    assertThat(report).contains("Method <b>firstk</b>", "<b>first-k</b>: the first images of each class by id.",
        "firstk / convnet3 / static");
  }
}
