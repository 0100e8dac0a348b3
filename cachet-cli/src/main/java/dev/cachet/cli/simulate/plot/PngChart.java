package dev.cachet.cli.simulate.plot;

import dev.cachet.cli.simulate.SimulationResult;
import dev.cachet.cli.simulate.plot.HitRatioChart.Curve;
import dev.cachet.cli.simulate.plot.HitRatioChart.LegendEntry;
import dev.cachet.cli.simulate.plot.HitRatioChart.Marker;
import dev.cachet.cli.simulate.plot.HitRatioChart.Tick;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;

/**
 * The chart drawn with Java2D into an image, for a PNG: no dependency beyond the JDK, and no
 * display needed (the JVM runs headless).
 */
final class PngChart {
  static final int WIDTH = 960;
  static final int HEIGHT = 600;
  private static final Color AXIS = new Color(0x88, 0x88, 0x88);
  private static final Color GRID = new Color(0xe2, 0xe2, 0xe2);
  private static final Color TEXT = new Color(0x22, 0x22, 0x22);
  private static final Color MUTED = new Color(0x55, 0x55, 0x55);

  private PngChart() {
  }

  /** The chart of {@code result} as an opaque RGB image of {@link #WIDTH} by {@link #HEIGHT}. */
  static BufferedImage render(SimulationResult result) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      HitRatioChart c = new HitRatioChart(result, WIDTH, HEIGHT,
          (text, size, bold) -> g.getFontMetrics(font(size, bold)).getStringBounds(text, g)
              .getWidth());
      draw(g, c);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void draw(Graphics2D g, HitRatioChart c) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, c.width, c.height);

    text(g, c.title, c.left, 20 + HitRatioChart.TITLE_FONT, HitRatioChart.TITLE_FONT, true,
        TEXT, Align.LEFT);
    text(g, c.subtitle, c.left, 20 + HitRatioChart.TITLE_FONT + 8 + HitRatioChart.SUBTITLE_FONT,
        HitRatioChart.SUBTITLE_FONT, false, MUTED, Align.LEFT);

    g.setStroke(new BasicStroke(1f));
    for (Tick t : c.yTicks) {
      g.setColor(GRID);
      g.draw(new Line2D.Double(c.left, t.at(), c.right, t.at()));
      text(g, t.label(), c.left - 8, t.at() + 4, HitRatioChart.TICK_FONT, false, MUTED,
          Align.RIGHT);
    }
    for (Tick t : c.xTicks) {
      g.setColor(AXIS);
      g.draw(new Line2D.Double(t.at(), c.bottom, t.at(), c.bottom + 5));
      text(g, t.label(), t.at(), c.bottom + 8 + HitRatioChart.TICK_FONT, HitRatioChart.TICK_FONT,
          false, MUTED, Align.CENTER);
    }
    g.setColor(AXIS);
    g.draw(new Line2D.Double(c.left, c.bottom, c.right, c.bottom));
    g.draw(new Line2D.Double(c.left, c.top, c.left, c.bottom));
    text(g, c.xTitle, (c.left + c.right) / 2, c.height - 20.0, HitRatioChart.AXIS_FONT, false,
        TEXT, Align.CENTER);
    AffineTransform saved = g.getTransform();
    double yMid = (c.top + c.bottom) / 2;
    g.rotate(-Math.PI / 2, 20 + HitRatioChart.AXIS_FONT, yMid);
    text(g, c.yTitle, 20 + HitRatioChart.AXIS_FONT, yMid, HitRatioChart.AXIS_FONT, false, TEXT,
        Align.CENTER);
    g.setTransform(saved);

    for (Curve curve : c.curves) {
      Color colour = Color.decode(curve.colour());
      g.setColor(colour);
      g.setStroke(line(curve.dashed()));
      Path2D path = new Path2D.Double();
      for (int i = 0; i < curve.x().length; i++) {
        if (i == 0) {
          path.moveTo(curve.x()[i], curve.y()[i]);
        } else {
          path.lineTo(curve.x()[i], curve.y()[i]);
        }
      }
      g.draw(path);
      for (int i = 0; i < curve.x().length; i++) {
        marker(g, curve.marker(), curve.x()[i], curve.y()[i], curve.radius(), colour);
      }
    }

    g.setStroke(new BasicStroke(1f));
    g.setColor(Color.WHITE);
    Shape box = new RoundRectangle2D.Double(c.legendX, c.legendY, c.legendWidth,
        c.legendHeight, 8, 8);
    g.fill(box);
    g.setColor(new Color(0xcc, 0xcc, 0xcc));
    g.draw(box);
    double x0 = c.legendX + HitRatioChart.LEGEND_PADDING;
    text(g, "policy", x0, c.legendY + HitRatioChart.LEGEND_PADDING
        + HitRatioChart.LEGEND_ROW * 0.5 + 4, HitRatioChart.LEGEND_FONT, true, TEXT, Align.LEFT);
    for (LegendEntry e : c.legend) {
      Curve curve = e.curve();
      Color colour = Color.decode(curve.colour());
      double mid = e.y() - 4;
      g.setColor(colour);
      g.setStroke(line(curve.dashed()));
      g.draw(new Line2D.Double(x0, mid, x0 + HitRatioChart.LEGEND_SAMPLE, mid));
      marker(g, curve.marker(), x0 + HitRatioChart.LEGEND_SAMPLE / 2, mid, 4.5, colour);
      text(g, curve.label(), x0 + HitRatioChart.LEGEND_SAMPLE + 8, e.y(),
          HitRatioChart.LEGEND_FONT, false, TEXT, Align.LEFT);
    }
  }

  private static BasicStroke line(boolean dashed) {
    return dashed
        ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 4f}, 0f)
        : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  private static void marker(Graphics2D g, Marker marker, double x, double y, double r,
      Color colour) {
    Shape shape = switch (marker) {
      case CIRCLE -> new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
      case SQUARE -> new Rectangle2D.Double(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
      case TRIANGLE -> polygon(x, y - r * 1.2, x - r * 1.1, y + r * 0.8, x + r * 1.1, y + r * 0.8);
      case TRIANGLE_DOWN -> polygon(x, y + r * 1.2, x - r * 1.1, y - r * 0.8, x + r * 1.1,
          y - r * 0.8);
      case DIAMOND -> polygon(x, y - r * 1.3, x + r * 1.1, y, x, y + r * 1.3, x - r * 1.1, y);
    };
    g.setColor(colour);
    g.fill(shape);
    // A white rim keeps markers apart where curves cross or run together.
    g.setColor(Color.WHITE);
    g.setStroke(new BasicStroke(1f));
    g.draw(shape);
  }

  private static Shape polygon(double... xy) {
    Path2D p = new Path2D.Double();
    p.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) {
      p.lineTo(xy[i], xy[i + 1]);
    }
    p.closePath();
    return p;
  }

  private enum Align { LEFT, CENTER, RIGHT }

  private static void text(Graphics2D g, String text, double x, double baseline, double size,
      boolean bold, Color colour, Align align) {
    Font font = font(size, bold);
    g.setFont(font);
    g.setColor(colour);
    FontMetrics metrics = g.getFontMetrics(font);
    double w = metrics.getStringBounds(text, g).getWidth();
    double at = switch (align) {
      case LEFT -> x;
      case CENTER -> x - w / 2;
      case RIGHT -> x - w;
    };
    g.drawString(text, (float) at, (float) baseline);
  }

  private static Font font(double size, boolean bold) {
    // The logical "SansSerif" font maps to whatever sans font the machine has (DejaVu Sans on
    // most Linux systems), so no font file has to ship with the CLI.
    return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size);
  }
}
