package dev.distill.job.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.image.PixelImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code report.html}: one self-contained page (images inlined, no scripts, no network) that shows
 * what a run made — a contact sheet per class, the bytes, the stage times, the rejects, the
 * evaluation if there is one, and the config. Built from the committed output directory alone, so
 * {@code run} and {@code evaluate} both (re)write it. It holds run times, so unlike the dataset
 * files it is not byte-identical across runs.
 */
public final class Report {
  public static final String FILE = "report.html";
  /** Contact sheets show at most this many images of at most this many classes. */
  static final int SHEET_IMAGES = 10;
  static final int SHEET_CLASSES = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /** @param methodSections each method's paragraph (from its manifest block), in order */
  public static void write(FileSystem fs, Path output, List<String> methodSections) {
    try {
      FileReplacement.write(fs, output, FILE, html(fs, output, methodSections).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build " + FILE + " for " + output, e);
    }
  }

  static String html(FileSystem fs, Path out, List<String> methodSections) throws IOException {
    Manifest m = Manifest.read(fs, out);
    JsonNode classes = json(fs, new Path(out, OutputFiles.CLASSES));
    Path evaluation = new Path(out, OutputFiles.EVALUATION);
    JsonNode eval = fs.exists(evaluation) ? json(fs, evaluation) : null;
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>distill report: ")
        .append(esc(out.getName())).append("</title><style>")
        .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}")
        .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
        .append(".sheet{display:flex;align-items:center;gap:12px;margin:4px 0}.sheet span{width:160px}")
        .append("img{image-rendering:pixelated;border:1px solid #ddd}pre{background:#f7f7f7;padding:8px;overflow:auto}")
        .append("</style></head><body>");
    h.append("<h1>Distilled dataset: ").append(esc(out.getName())).append("</h1>");
    h.append("<p>Method <b>").append(esc(m.method())).append("</b>, ")
        .append(m.images()).append(" images, ").append(m.classes())
        .append(" classes, IPC ").append(m.ipc()).append(", seed ").append(m.seed())
        .append(". Observer ").append(esc(m.observer().architecture()))
        .append(", test accuracy ").append(percent(m.observer().testAccuracy()))
        .append(". Config SHA-256 <code>").append(esc(m.configSha256())).append("</code>.</p>");
    methodSections.forEach(h::append);
    if (m.budget() != null) {
      h.append("<p>Budget: ").append(String.format("%,d", m.budget().bytes())).append(" bytes (")
          .append(esc(m.budget().accounting())).append(" accounting, from <code>").append(esc(m.budget().from()))
          .append("</code>): ").append(m.budget().itemsPerClass()).append(" per class of ")
          .append(esc(m.budget().unit())).append(" at ").append(String.format("%,d", m.budget().unitBytes()))
          .append(" bytes, ").append(String.format("%,d", m.budget().plannedBytes()))
          .append(" bytes planned; the table below is what was written, on disk.</p>");
    }

    h.append("<h2>Accuracy of students trained on it</h2>");
    h.append(eval == null ? "<p>Not evaluated yet: <code>bin/distill evaluate --data OUT</code>.</p>" : evaluation(eval));

    h.append("<h2>Images</h2>").append(contactSheets(fs, out, classes, m.images()));

    h.append("<h2>Bytes</h2><table><tr><th>kind</th><th>bytes</th></tr>");
    Manifest.Bytes b = m.bytes();
    Map<String, Long> kinds = new LinkedHashMap<>();
    kinds.put("images", b.images());
    kinds.put("labels", b.labels());
    kinds.put("soft_label_payload", b.softLabelPayload());
    kinds.put("classes", b.classes());
    kinds.put("rejects", b.rejects());
    kinds.put("config", b.config());
    kinds.put("observer", b.observer());
    kinds.put("total", b.total());
    kinds.forEach((k, v) -> h.append("<tr><td>").append(esc(k))
        .append("</td><td>").append(String.format("%,d", v)).append("</td></tr>"));
    h.append("</table><p><i>total</i> = images + labels: what a user ships. The observer is needed only for "
        + "teacher-mode training.</p>");

    h.append("<h2>Stage times</h2>").append(bars(JSON.valueToTree(m.timingsMs()), "ms"));
    if (!m.reusedStages().isEmpty()) {
      h.append("<p>Reused from an interrupted run (0 ms here): ").append(esc(String.join(", ", m.reusedStages())))
          .append(".</p>");
    }

    h.append("<h2>Input and rejects</h2><p>").append(m.input().records()).append(" records read, ")
        .append(m.input().rejected()).append(" rejected.</p>").append(rejects(fs, out));

    h.append("<h2>Configuration</h2><p>The settings that determine the output (<code>config.conf</code>):</p><pre>")
        .append(esc(text(fs, new Path(out, OutputFiles.CONFIG)))).append("</pre>");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static String evaluation(JsonNode eval) {
    // Files written before eval_from was recorded used RDED's default, the last 20 %.
    long last = Math.round(100 * (1 - eval.get("protocol").path("eval_from").asDouble(0.8)));
    StringBuilder h = new StringBuilder("<table><tr><th>training set</th><th>IPC</th><th>student</th>"
        + "<th>labels</th><th>images</th><th>best of last " + last + " %</th><th>final</th><th>seeds</th></tr>");
    Map<String, AccuracyChart.Point> bars = new LinkedHashMap<>();
    Map<String, SortedMap<Integer, AccuracyChart.Point>> lines = new LinkedHashMap<>();
    Map<String, AccuracyChart.Point> ceilings = new LinkedHashMap<>();
    for (JsonNode s : eval.get("summary")) {
      // Files written before budgets existed have no per-row ipc: they are all at the output's IPC.
      JsonNode ipc = s.has("ipc") ? s.get("ipc") : eval.get("ipc");
      String dataset = s.get("dataset").asText();
      String series = dataset + " / " + s.get("student").asText() + " / " + s.get("labels").asText();
      AccuracyChart.Point best = new AccuracyChart.Point(100 * s.get("best").get("mean").asDouble(),
          100 * s.get("best").get("std").asDouble());
      h.append("<tr><td>").append(esc(dataset)).append("</td><td>").append(ipc.isNull() ? "all" : ipc.asText())
          .append("</td><td>").append(esc(s.get("student").asText())).append("</td><td>")
          .append(esc(s.get("labels").asText())).append("</td><td>").append(s.get("train_images").asInt())
          .append("</td><td>").append(meanStd(s.get("best"))).append("</td><td>").append(meanStd(s.get("last")))
          .append("</td><td>").append(s.get("seeds").asInt()).append("</td></tr>");
      bars.put(series + (ipc.isNull() ? "" : " / IPC " + ipc.asInt()), best);
      if (ipc.isNull()) {
        ceilings.put(series, best);
      } else {
        lines.computeIfAbsent(series, k -> new TreeMap<>()).put(ipc.asInt(), best);
      }
    }
    h.append("</table>");
    if (eval.path("ior").size() > 0) {
      h.append("<p>Improvement over random (IOR): final-epoch accuracy, method − random, runs paired by seed;"
          + " mean with 95 % interval and the paired t-test's p-value.</p><table><tr><th>IPC</th><th>student</th>"
          + "<th>labels</th><th>IOR (points)</th><th>95 % interval</th><th>p</th><th>n</th></tr>");
      for (JsonNode c : eval.get("ior")) {
        h.append(String.format(java.util.Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%+.2f</td>"
            + "<td>%+.2f … %+.2f</td><td>%.3g</td><td>%d</td></tr>", c.get("ipc").asInt(), esc(c.get("student").asText()),
            esc(c.get("labels").asText()), 100 * c.get("mean_difference").asDouble(),
            100 * c.get("ci95").get(0).asDouble(), 100 * c.get("ci95").get(1).asDouble(),
            c.get("p_value").asDouble(), c.get("n").asInt()));
      }
      h.append("</table>");
    }
    boolean sweep = lines.values().stream().anyMatch(m -> m.size() > 1);
    h.append(sweep ? AccuracyChart.versusIpc(lines, ceilings) : AccuracyChart.bars(bars));
    h.append("<p>").append(esc(eval.get("protocol").get("reported").asText())).append(". Protocol: ")
        .append(eval.get("protocol").get("epochs").asInt()).append(" epochs, batch ")
        .append(eval.get("protocol").get("batch_size").asInt()).append(" at IPC ").append(eval.get("ipc").asInt())
        .append(", ").append(esc(eval.get("protocol").get("optimizer").asText())).append(", ")
        .append(esc(eval.get("protocol").get("schedule").asText())).append(", CutMix, T = ")
        .append(eval.get("protocol").get("temperature").asDouble()).append(".</p>");
    return h.toString();
  }

  private static String contactSheets(FileSystem fs, Path out, JsonNode classes, long images) throws IOException {
    StringBuilder h = new StringBuilder();
    int shown = 0;
    for (JsonNode c : classes) {
      if (shown++ >= SHEET_CLASSES) {
        h.append("<p>… ").append(classes.size() - SHEET_CLASSES).append(" more classes.</p>");
        break;
      }
      Path dir = new Path(new Path(out, OutputFiles.IMAGES), c.get("folder").asText());
      if (!fs.exists(dir)) {
        continue;
      }
      FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(".png"));
      Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
      List<PixelImage> sheet = new ArrayList<>();
      for (int i = 0; i < Math.min(SHEET_IMAGES, files.length); i++) {
        try (InputStream in = fs.open(files[i].getPath())) {
          sheet.add(ImageCodec.decode(in.readAllBytes(), 3));
        } catch (ImageCodec.UndecodableImageException e) {
          throw new IOException(files[i].getPath() + ": " + e.getMessage(), e);
        }
      }
      if (sheet.isEmpty()) {
        continue;
      }
      int scale = Math.max(1, 96 / sheet.get(0).height());
      h.append("<div class=\"sheet\"><span>").append(c.get("index").asInt()).append(" ")
          .append(esc(c.get("name").asText())).append(" (").append(files.length).append(")</span><img alt=\"")
          .append(esc(c.get("name").asText())).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(ImageCodec.encodePng(tile(sheet, scale)))).append("\"></div>");
    }
    return h.append("<p>Showing up to ").append(SHEET_IMAGES).append(" of each class's images, best-ranked first, ")
        .append("enlarged without smoothing; ").append(images).append(" images in all.</p>").toString();
  }

  /** Images side by side, each enlarged {@code scale}× (nearest neighbour), 2 px apart. */
  static PixelImage tile(List<PixelImage> images, int scale) {
    int side = images.get(0).height() * scale;
    int gap = 2;
    PixelImage out = PixelImage.blank(3, side, images.size() * (side + gap) - gap);
    java.util.Arrays.fill(out.data(), (byte) 255);
    for (int i = 0; i < images.size(); i++) {
      PixelImage img = images.get(i);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            out.set(c, y, i * (side + gap) + x, img.get(c, y / scale, x / scale));
          }
        }
      }
    }
    return out;
  }

  private static String rejects(FileSystem fs, Path out) throws IOException {
    Map<String, Integer> byKind = new LinkedHashMap<>();
    List<String> examples = new ArrayList<>();
    String content = text(fs, new Path(out, OutputFiles.REJECTS));
    for (String line : content.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode r = JSON.readTree(line);
      String reason = r.get("reason").asText();
      int cut = reason.indexOf(':');
      byKind.merge(cut > 0 ? reason.substring(0, cut) : reason, 1, Integer::sum);
      if (examples.size() < 5) {
        examples.add(r.get("split").asText() + " " + r.get("id").asText() + ": " + reason);
      }
    }
    if (byKind.isEmpty()) {
      return "<p>No record was rejected.</p>";
    }
    StringBuilder h = new StringBuilder("<table><tr><th>reason</th><th>records</th></tr>");
    byKind.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>").append(v).append("</td></tr>"));
    h.append("</table><p>First ones (all are in <code>rejects.jsonl</code>):</p><pre>");
    examples.forEach(e -> h.append(esc(e)).append('\n'));
    return h.append("</pre>").toString();
  }

  private static String bars(JsonNode timings, String unit) {
    Map<String, Double> values = new LinkedHashMap<>();
    double max = 1;
    for (var it = timings.fields(); it.hasNext(); ) {
      var e = it.next();
      values.put(e.getKey(), e.getValue().asDouble());
      max = Math.max(max, e.getValue().asDouble());
    }
    StringBuilder h = new StringBuilder("<table><tr><th>stage</th><th>" + unit + "</th><th></th></tr>");
    for (Map.Entry<String, Double> e : values.entrySet()) {
      h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(String.format("%,.0f", e.getValue()))
          .append("</td><td style=\"text-align:left\"><div style=\"background:#3b7dd8;height:10px;width:")
          .append((int) (300 * e.getValue() / max)).append("px\"></div></td></tr>");
    }
    return h.append("</table>").toString();
  }

  private static String meanStd(JsonNode s) {
    return String.format("%.2f ± %.2f %%", 100 * s.get("mean").asDouble(), 100 * s.get("std").asDouble());
  }

  private static String percent(Double v) {
    return v == null ? "n/a" : String.format("%.2f %%", 100 * v);
  }

  private static JsonNode json(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(in);
    }
  }

  private static String text(FileSystem fs, Path file) throws IOException {
    if (!fs.exists(file)) {
      return "";
    }
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
