package dev.distill.job.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The report's accuracy charts as inline SVG: no scripts and no fonts to fetch, so the page opens
 * offline in any browser. Values are percentages; whiskers are ± one standard deviation over seeds.
 */
final class AccuracyChart {
  private static final String[] COLOURS = {"#3b7dd8", "#d8593b", "#2a9d5c", "#8e44ad", "#c49a00", "#555555"};

  /** Mean and standard deviation over seeds, in %. */
  record Point(double mean, double std) {}

  private AccuracyChart() {}

  /**
   * Accuracy against images per class on a log axis: one line per training set / student / labels
   * (baselines dashed), and the full-training-set ceilings as horizontal dotted lines.
   */
  static String versusIpc(Map<String, SortedMap<Integer, Point>> series, Map<String, Point> ceilings) {
    int left = 56;
    int plot = 460;
    int top = 24;
    int height = 260;
    int legend = 300;
    List<Integer> ipcs = series.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
    double lo = 100;
    double hi = 0;
    for (SortedMap<Integer, Point> s : series.values()) {
      for (Point p : s.values()) {
        lo = Math.min(lo, p.mean() - p.std());
        hi = Math.max(hi, p.mean() + p.std());
      }
    }
    for (Point p : ceilings.values()) {
      lo = Math.min(lo, p.mean());
      hi = Math.max(hi, p.mean());
    }
    double step = tickStep(hi - lo);
    double yMin = Math.max(0, Math.floor((lo - step / 2) / step) * step);
    double yMax = Math.min(100, Math.ceil((hi + step / 2) / step) * step);
    double logMin = Math.log(ipcs.get(0));
    double logSpan = Math.max(1e-9, Math.log(ipcs.get(ipcs.size() - 1)) - logMin);
    Axis x = v -> left + 20 + (Math.log(v) - logMin) / logSpan * (plot - 40);
    Axis y = v -> top + (yMax - v) / (yMax - yMin) * height;

    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
            + "font-size=\"12\" role=\"img\" aria-label=\"test accuracy against images per class\">",
        left + plot + legend, top + height + 44));
    for (double t = yMin; t <= yMax + 1e-9; t += step) {
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s%%</text>", left, left + plot, y.at(t), y.at(t),
          left - 6, y.at(t) + 4, trim(t)));
    }
    for (int ipc : ipcs) {
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>",
          x.at(ipc), top + height + 16, ipc));
    }
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
        + "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
        + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">images per class (log scale)</text>",
        left, left + plot, top + height, top + height, left, left, top, top + height,
        left + plot / 2, top + height + 36));

    int row = 0;
    for (Map.Entry<String, Point> c : ceilings.entrySet()) {
      double at = y.at(c.getValue().mean());
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" "
          + "stroke-dasharray=\"2 3\"/>", left, left + plot, at, at));
      legend(s, left + plot + 16, top + 8 + 18 * row++, "#222", "2 3",
          c.getKey() + String.format(Locale.ROOT, " %.1f %%", c.getValue().mean()));
    }
    int colour = 0;
    for (Map.Entry<String, SortedMap<Integer, Point>> e : series.entrySet()) {
      String stroke = COLOURS[colour++ % COLOURS.length];
      String dash = !isBaseline(e.getKey()) ? "none" : "6 4";
      List<String> points = new ArrayList<>();
      for (Map.Entry<Integer, Point> p : e.getValue().entrySet()) {
        double px = x.at(p.getKey());
        Point v = p.getValue();
        points.add(String.format(Locale.ROOT, "%.1f,%.1f", px, y.at(v.mean())));
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
            + "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s, IPC %d: %.2f ± %.2f %%</title></circle>",
            px, px, y.at(Math.max(yMin, v.mean() - v.std())), y.at(Math.min(yMax, v.mean() + v.std())), stroke, px, y.at(v.mean()), stroke,
            Report.esc(e.getKey()), p.getKey(), v.mean(), v.std()));
      }
      s.append(String.format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\" "
          + "points=\"%s\"/>", stroke, dash, String.join(" ", points)));
      legend(s, left + plot + 16, top + 8 + 18 * row++, stroke, dash, e.getKey());
    }
    return s.append("</svg>").toString();
  }

  /** Horizontal bars with ± std whiskers on a 0–100 % axis: one bar per training set / student / labels. */
  static String bars(Map<String, Point> values) {
    int row = 26;
    int left = 260;
    int width = 520;
    StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (left + width + 60)
        + "\" height=\"" + (row * values.size() + 30) + "\" role=\"img\" aria-label=\"test accuracy\">");
    int y = 0;
    for (Map.Entry<String, Point> e : values.entrySet()) {
      double v = Math.max(0, Math.min(100, e.getValue().mean()));
      double sd = e.getValue().std();
      int w = (int) Math.round(width * v / 100);
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">%s</text>",
          left - 6, y + 17, Report.esc(e.getKey())));
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"%s\"/>",
          left, y + 4, w, !isBaseline(e.getKey()) ? COLOURS[0] : "#9aa5b1"));
      int lo = left + (int) Math.round(width * Math.max(0, v - sd) / 100);
      int hi = left + (int) Math.round(width * Math.min(100, v + sd) / 100);
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#222\"/>",
          lo, hi, y + 13, y + 13));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%.1f %%</text>",
          left + w + 6, y + 17, v));
      y += row;
    }
    for (int tick = 0; tick <= 100; tick += 25) {
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d%%</text>",
          left + width * tick / 100, y + 18, tick));
    }
    return s.append("</svg>").toString();
  }

  private static void legend(StringBuilder s, int x, int y, String stroke, String dash, String label) {
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
        + "stroke-width=\"2\" stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
        x, x + 24, y, y, stroke, dash, x + 30, y + 4, Report.esc(label)));
  }

  /** A round step giving at most about 8 gridlines over {@code span} percentage points. */
  static double tickStep(double span) {
    for (double step : new double[] {0.5, 1, 2, 5, 10, 20}) {
      if (span / step <= 8) {
        return step;
      }
    }
    return 25;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private interface Axis {
    double at(double value);
  }

  /** The training sets that are baselines, not a distilled output: drawn grey and dashed. */
  public static final java.util.Set<String> BASELINES = java.util.Set.of("random", "full");

  /** A series key starts with its training set's name ("random / convnet3 / static"). */
  static boolean isBaseline(String series) {
    return BASELINES.contains(series.split(" ")[0]);
  }
}
