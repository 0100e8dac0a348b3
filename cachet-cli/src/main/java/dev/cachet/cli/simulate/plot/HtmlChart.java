package dev.cachet.cli.simulate.plot;

import dev.cachet.cli.simulate.SimulationResult;
import dev.cachet.cli.simulate.plot.HitRatioChart.Curve;
import dev.cachet.cli.simulate.plot.HitRatioChart.LegendEntry;
import dev.cachet.cli.simulate.plot.HitRatioChart.Marker;
import dev.cachet.cli.simulate.plot.HitRatioChart.Tick;
import java.util.Locale;

/**
 * The chart as a self-contained HTML page: the SVG inline, then a table of the same numbers.
 * No script, no external font or style sheet, so the file can be mailed or attached to an issue
 * and open anywhere, offline. Each point has a tooltip with its exact hit ratio.
 */
final class HtmlChart {
  static final int WIDTH = 960;
  static final int HEIGHT = 600;
  /**
   * An average sans-serif glyph is about 0.6 em wide in DejaVu Sans and wider than in Arial or
   * Helvetica: measuring with it errs towards room to spare, whichever font the browser picks.
   */
  private static final double EM_PER_CHAR = 0.6;

  private HtmlChart() {
  }

  /** The page for {@code result}. */
  static String render(SimulationResult result) {
    HitRatioChart chart = new HitRatioChart(result, WIDTH, HEIGHT,
        (text, size, bold) -> text.length() * size * (bold ? EM_PER_CHAR + 0.05 : EM_PER_CHAR));
    String title = "Hit ratio by cache size: " + result.traceName();
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>" + escape(title) + "</title>\n<style>"
        + "body{font-family:sans-serif;margin:1.5em;color:#222;background:#fff}"
        + "svg{max-width:100%;height:auto}"
        + "table{border-collapse:collapse;margin-top:1em;font-size:14px}"
        + "td,th{padding:3px 12px;text-align:right;border-bottom:1px solid #e4e4e4}"
        + "th:first-child,td:first-child{text-align:left}"
        + "</style>\n</head>\n<body>\n" + svg(chart) + table(chart) + "</body>\n</html>\n";
  }

  private static String svg(HitRatioChart c) {
    StringBuilder s = new StringBuilder();
    s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0"
        + " 0 %d %d\" font-family=\"sans-serif\" role=\"img\" aria-label=\"%s\">%n", c.width,
        c.height, c.width, c.height, escape(c.title + ", " + c.subtitle)));
    s.append(f("<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", c.width, c.height));
    s.append(f("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" font-weight=\"bold\">%s</text>%n",
        c.left, 20 + HitRatioChart.TITLE_FONT, HitRatioChart.TITLE_FONT, escape(c.title)));
    s.append(f("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" fill=\"#555\">%s</text>%n",
        c.left, 20 + HitRatioChart.TITLE_FONT + 8 + HitRatioChart.SUBTITLE_FONT,
        HitRatioChart.SUBTITLE_FONT, escape(c.subtitle)));

    s.append(f("<g font-size=\"%.0f\" fill=\"#444\">%n", HitRatioChart.TICK_FONT));
    for (Tick t : c.yTicks) {
      s.append(f("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e2e2e2\"/>"
          + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", c.left, c.right,
          t.at(), t.at(), c.left - 8, t.at() + 4, t.label()));
    }
    for (Tick t : c.xTicks) {
      s.append(f("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>"
          + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", t.at(), t.at(),
          c.bottom, c.bottom + 5, t.at(), c.bottom + 8 + HitRatioChart.TICK_FONT, t.label()));
    }
    s.append("</g>\n");
    s.append(f("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>%n",
        c.left, c.right, c.bottom, c.bottom));
    s.append(f("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>%n",
        c.left, c.left, c.top, c.bottom));
    s.append(f("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\">%s</text>%n",
        (c.left + c.right) / 2, c.height - 20.0, HitRatioChart.AXIS_FONT, escape(c.xTitle)));
    double yMid = (c.top + c.bottom) / 2;
    s.append(f("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\""
        + " transform=\"rotate(-90 %.1f %.1f)\">%s</text>%n", 20 + HitRatioChart.AXIS_FONT,
        yMid, HitRatioChart.AXIS_FONT, 20 + HitRatioChart.AXIS_FONT, yMid, escape(c.yTitle)));

    for (Curve curve : c.curves) {
      s.append(f("<g class=\"curve\" data-policy=\"%s\" stroke=\"%s\" fill=\"%s\">%n",
          escape(curve.policy()), curve.colour(), curve.colour()));
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < curve.x().length; i++) {
        points.append(f("%.1f,%.1f ", curve.x()[i], curve.y()[i]));
      }
      s.append(f("<polyline fill=\"none\" stroke-width=\"2.2\"%s points=\"%s\"/>%n",
          curve.dashed() ? " stroke-dasharray=\"7 4\"" : "", points.toString().strip()));
      for (int i = 0; i < curve.x().length; i++) {
        s.append(marker(curve.marker(), curve.x()[i], curve.y()[i], curve.radius(),
            f("%s at %,d entries: %s", curve.label(), curve.sizes()[i],
                HitRatioChart.ratio(curve.percents()[i]))));
      }
      s.append("</g>\n");
    }

    s.append(f("<g font-size=\"%.0f\">%n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
        + " height=\"%.1f\" fill=\"#fff\" stroke=\"#ccc\" rx=\"4\"/>%n", HitRatioChart.LEGEND_FONT,
        c.legendX, c.legendY, c.legendWidth, c.legendHeight));
    double textX = c.legendX + HitRatioChart.LEGEND_PADDING + HitRatioChart.LEGEND_SAMPLE + 8;
    s.append(f("<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">policy</text>%n",
        c.legendX + HitRatioChart.LEGEND_PADDING,
        c.legendY + HitRatioChart.LEGEND_PADDING + HitRatioChart.LEGEND_ROW * 0.5 + 4));
    for (LegendEntry e : c.legend) {
      Curve curve = e.curve();
      double x0 = c.legendX + HitRatioChart.LEGEND_PADDING;
      double mid = e.y() - 4;
      s.append(f("<g stroke=\"%s\" fill=\"%s\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\""
          + " y2=\"%.1f\" stroke-width=\"2.2\"%s/>%s</g>", curve.colour(), curve.colour(), x0,
          x0 + HitRatioChart.LEGEND_SAMPLE, mid, mid,
          curve.dashed() ? " stroke-dasharray=\"7 4\"" : "",
          marker(curve.marker(), x0 + HitRatioChart.LEGEND_SAMPLE / 2, mid, 4.5, null).strip()));
      s.append(f("<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", textX, e.y(),
          escape(curve.label())));
    }
    s.append("</g>\n</svg>\n");
    return s.toString();
  }

  private static String marker(Marker marker, double x, double y, double r,
      String tooltip) {
    String tip = tooltip == null ? "" : "<title>" + escape(tooltip) + "</title>";
    String shape = switch (marker) {
      case CIRCLE -> f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, y, r);
      case SQUARE -> f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x - r * 0.9,
          y - r * 0.9, r * 1.8, r * 1.8);
      case TRIANGLE -> f("<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", x, y - r * 1.2,
          x - r * 1.1, y + r * 0.8, x + r * 1.1, y + r * 0.8);
      case TRIANGLE_DOWN -> f("<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", x,
          y + r * 1.2, x - r * 1.1, y - r * 0.8, x + r * 1.1, y - r * 0.8);
      case DIAMOND -> f("<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\"", x,
          y - r * 1.3, x + r * 1.1, y, x, y + r * 1.3, x - r * 1.1, y);
    };
    // A white rim keeps markers apart where curves cross or run together.
    return shape + " stroke=\"#fff\" stroke-width=\"1\">" + tip
        + (shape.startsWith("<circle") ? "</circle>" : shape.startsWith("<rect") ? "</rect>"
            : "</polygon>") + "\n";
  }

  private static String table(HitRatioChart c) {
    StringBuilder t = new StringBuilder("<table>\n<caption>Hit ratio (%) by policy and cache"
        + " size (entries)</caption>\n<tr><th>policy</th>");
    Curve any = c.curves.get(0);
    for (int size : any.sizes()) {
      t.append(f("<th>%,d</th>", size));
    }
    t.append("</tr>\n");
    for (Curve curve : c.curves) {
      t.append("<tr><td>").append(escape(curve.label())).append("</td>");
      for (double p : curve.percents()) {
        t.append(f("<td>%.2f</td>", p));
      }
      t.append("</tr>\n");
    }
    return t.append("</table>\n").toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
