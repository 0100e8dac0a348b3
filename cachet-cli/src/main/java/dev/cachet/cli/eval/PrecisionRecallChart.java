package dev.cachet.cli.eval;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (inline SVG, no script, no network) with precision and recall
 * against the similarity threshold, the default threshold marked, and the table of numbers.
 */
public final class PrecisionRecallChart {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;
  private static final int LEFT = 50;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 40;

  private PrecisionRecallChart() {
  }

  /**
   * Renders the page.
   *
   * @param title what was evaluated, shown as the heading
   * @param axis what the threshold thresholds, such as "verifier probability threshold"
   * @param rule what a hit needs, one sentence for people
   * @param points the sweep, lowest threshold first (at least one)
   * @param defaultThreshold the threshold the cache uses by default, marked on the chart
   * @return the HTML text
   */
  public static String html(String title, String axis, String rule,
      List<ThresholdSweep.Point> points, double defaultThreshold) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("A chart needs at least one threshold");
    }
    double lo = points.get(0).threshold();
    double hi = points.get(points.size() - 1).threshold();
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        + "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"precision and recall by "
        + "threshold\">%n", WIDTH, HEIGHT));
    for (int i = 0; i <= 4; i++) { // horizontal grid at 0, 0.25, ... 1
      double v = i / 4.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
          + "stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">"
          + "%.2f</text>%n", LEFT, WIDTH - RIGHT, y(v), y(v), LEFT - 6, y(v) + 4, v));
    }
    for (ThresholdSweep.Point p : points) { // x labels at multiples of 0.05, or each end
      boolean round = Math.abs(p.threshold() * 20 - Math.round(p.threshold() * 20)) < 1e-6;
      if (round || points.size() <= 10) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
            + "text-anchor=\"middle\">%.2f</text>%n", x(p.threshold(), lo, hi),
            HEIGHT - BOTTOM + 16, p.threshold()));
      }
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
        + "text-anchor=\"middle\">%s</text>%n", (LEFT + WIDTH - RIGHT) / 2,
        HEIGHT - 6, escape(axis)));
    if (defaultThreshold >= lo && defaultThreshold <= hi) {
      double dx = x(defaultThreshold, lo, hi);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
          + "stroke=\"#888\" stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" "
          + "font-size=\"11\">default %.2f</text>%n", dx, dx, TOP, HEIGHT - BOTTOM, dx + 4,
          TOP + 10, defaultThreshold));
    }
    svg.append(polyline(points, lo, hi, true, "#1f6fb2"));
    svg.append(polyline(points, lo, hi, false, "#d9822b"));
    svg.append(String.format(Locale.ROOT, "<g font-size=\"12\"><rect x=\"%d\" y=\"%d\" "
        + "width=\"12\" height=\"3\" fill=\"#1f6fb2\"/><text x=\"%d\" y=\"%d\">precision</text>"
        + "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"#d9822b\"/>"
        + "<text x=\"%d\" y=\"%d\">recall</text></g>%n", LEFT + 10, HEIGHT - BOTTOM - 30,
        LEFT + 26, HEIGHT - BOTTOM - 25, LEFT + 10, HEIGHT - BOTTOM - 14, LEFT + 26,
        HEIGHT - BOTTOM - 9));
    svg.append("</svg>\n");

    StringBuilder table = new StringBuilder("<table>\n<tr><th>threshold</th><th>precision</th>"
        + "<th>recall</th><th>hits</th><th>wrong hits</th></tr>\n");
    for (ThresholdSweep.Point p : points) {
      table.append(String.format(Locale.ROOT, "<tr%s><td>%.2f</td><td>%.3f</td><td>%.3f</td>"
          + "<td>%d</td><td>%d</td></tr>%n",
          Math.abs(p.threshold() - defaultThreshold) < 1e-9 ? " class=\"default\"" : "",
          p.threshold(), p.precision(), p.recall(), p.hits(), p.wrongHits()));
    }
    table.append("</table>\n");
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + escape(title) + "</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
        + "table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right;"
        + "border-bottom:1px solid #eee}tr.default{font-weight:bold}</style>\n</head>\n<body>\n"
        + "<h1>" + escape(title) + "</h1>\n<p>" + escape(rule) + " Precision: the share of "
        + "hits whose cached answer is right. Recall: the share of same-meaning pairs that are "
        + "hits.</p>\n" + svg + table
        + "</body>\n</html>\n";
  }

  private static String polyline(List<ThresholdSweep.Point> points, double lo, double hi,
      boolean precision, String colour) {
    StringBuilder s = new StringBuilder("<polyline fill=\"none\" stroke-width=\"2\" stroke=\""
        + colour + "\" points=\"");
    for (ThresholdSweep.Point p : points) {
      s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.threshold(), lo, hi),
          y(precision ? p.precision() : p.recall())));
    }
    return s.append("\"/>\n").toString();
  }

  private static double x(double threshold, double lo, double hi) {
    double span = hi > lo ? hi - lo : 1;
    return LEFT + (threshold - lo) / span * (WIDTH - LEFT - RIGHT);
  }

  private static double y(double value) {
    return TOP + (1 - value) * (HEIGHT - TOP - BOTTOM);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
