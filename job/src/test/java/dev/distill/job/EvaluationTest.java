package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.eval.Evaluation;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Students trained on a tiny distilled output and on the baselines, with every label mode. */
class EvaluationTest extends SharedSpark {

  @Test
  void trainsStudentsOnTheOutputAndBaselinesAndWritesMeanAndSpread(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 10, 16);
    TinyData.folder(tmp.resolve("test"), 3, 5, 16);
    Map<String, String> o = TinyData.job(tmp.resolve("train").toString(), tmp.resolve("out").toString());
    o.put("distill.input.test-path", tmp.resolve("test").toString());
    o.put("distill.evaluate.epochs", "6");
    o.put("distill.evaluate.eval-every", "2");
    o.put("distill.evaluate.eval-from", "0.5");
    o.put("distill.evaluate.label-modes", "[static, teacher, hard]");
    o.put("distill.evaluate.seeds", "[0, 1]");
    o.put("distill.evaluate.baselines", "[random, full]");
    o.put("distill.evaluate.full-epochs", "1");
    o.put("distill.evaluate.full-batch-size", "8");
    DistillConfig config = ConfigLoader.load(null, o);
    Pipeline.run(spark, config, false);
    Evaluation.run(spark, config, tmp.resolve("out").toString());

    JsonNode report = new ObjectMapper().readTree(tmp.resolve("out/evaluation.json").toFile());
    // rded and random: 3 label modes each; full: hard only → 7 groups, 2 seeds each
    assertThat(report.get("summary")).hasSize(7);
    assertThat(report.get("runs")).hasSize(14);
    for (JsonNode s : report.get("summary")) {
      assertThat(s.get("seeds").asInt()).isEqualTo(2);
      assertThat(s.get("best").get("mean").asDouble()).isBetween(0.0, 1.0);
      assertThat(s.get("best").get("mean").asDouble()).isGreaterThanOrEqualTo(s.get("last").get("mean").asDouble() - 1e-12);
      int images = s.get("train_images").asInt();
      assertThat(images).isEqualTo(s.get("dataset").asText().equals("full") ? 30 : 6);
    }
    JsonNode run = report.get("runs").get(0);
    // evaluated after epochs 4 and 6: past half of the 6 epochs, every 2
    assertThat(run.get("test_accuracy_by_epoch").get(0).get(0).asInt()).isEqualTo(4);
    assertThat(run.get("test_accuracy_by_epoch").get(1).get(0).asInt()).isEqualTo(6);
    assertThat(report.get("protocol").get("reported").asText()).contains("best of the test evaluations after 50%");
    assertThat(tmp.resolve(".out.evaluation")).doesNotExist();

    String html = Files.readString(tmp.resolve("out/report.html"));
    assertThat(html).contains("<svg", "random / convnet3 / teacher", "best of last 20 %", "No record was rejected");
    assertThat(html.split("data:image/png;base64,", -1)).hasSize(4); // one contact sheet per class
    renderInChromium(tmp.resolve("out/report.html"), tmp);
  }

  /** The report opens offline in a real browser and draws something (Debian's chromium). */
  private static void renderInChromium(Path report, Path tmp) throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium), "chromium is not installed (apt-get install chromium)");
    Path shot = tmp.resolve("report.png");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + tmp.resolve("chromium-profile"), "--window-size=1200,1400",
        "--screenshot=" + shot, report.toUri().toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    BufferedImage png = ImageIO.read(shot.toFile());
    assertThat(png.getWidth()).isEqualTo(1200);
    // Not a blank page: the bars, text and contact sheets put many distinct colours on it.
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < png.getHeight(); y += 3) {
      for (int x = 0; x < png.getWidth(); x += 3) {
        colours.add(png.getRGB(x, y));
      }
    }
    assertThat(colours.size()).isGreaterThan(20);
  }
}
