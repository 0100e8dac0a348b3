package dev.cachet.cli.simulate.plot;

import dev.cachet.cli.simulate.SimulatedPolicy;
import dev.cachet.cli.simulate.SimulationResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Everything a hit-ratio chart shows, placed in pixels: one curve per policy of hit ratio
 * against cache size, axes with their ticks and titles, and a legend. The PNG and the SVG
 * renderers only draw what this computes, so both files show the same chart.
 *
 * <p>Sizes go on a logarithmic axis when they span a factor of four or more (simulations usually
 * double the size from one run to the next, and a linear axis would crowd the small sizes into
 * its left edge). The hit-ratio axis starts at 0% and ends at the first round value above the
 * best curve, so curves use the height they are given.
 */
final class HitRatioChart {
  /** Colour-blind-safe (Okabe and Ito), without their yellow, unreadable on white. */
  private static final List<String> PALETTE = List.of("#0072B2", "#D55E00", "#009E73",
      "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#117733");
  /** OPT is the bound, not a contender: drawn dashed and dark so it reads as a limit. */
  private static final String BOUND_COLOUR = "#333333";
  private static final String BOUND = "OPT";
  private static final double[] Y_STEPS = {0.5, 1, 2, 5, 10, 20, 25};
  private static final int MAX_Y_TICKS = 8;

  static final double TITLE_FONT = 18;
  static final double SUBTITLE_FONT = 13;
  static final double TICK_FONT = 12;
  static final double AXIS_FONT = 13;
  static final double LEGEND_FONT = 13;
  static final double LEGEND_ROW = 22;
  static final double LEGEND_PADDING = 10;
  /** The legend's sample: a line this long with the marker in its middle. */
  static final double LEGEND_SAMPLE = 30;
  private static final double OUTER = 20;

  /** Measures text as the renderer will draw it. */
  @FunctionalInterface
  interface TextWidth {
    /** The width in pixels of {@code text} at {@code size} pixels, bold or not. */
    double of(String text, double size, boolean bold);
  }

  /** A marker shape; curves differ by shape as well as colour, for readers who see no colour. */
  enum Marker { CIRCLE, SQUARE, TRIANGLE, DIAMOND, TRIANGLE_DOWN }

  /** One policy's curve: its style and its points in pixels, smallest size first. */
  record Curve(String policy, String label, String colour, boolean dashed, Marker marker,
      double radius, double[] x, double[] y, int[] sizes, double[] percents) {
  }

  /** A policy's look and numbers, before they are placed: a {@link Curve} without pixels. */
  private record Styled(String policy, String label, String colour, boolean dashed,
      Marker marker, double radius, int[] sizes, double[] percents) {
  }

  /** A tick: its position in pixels along its axis and its label. */
  record Tick(double at, String label) {
  }

  /** The legend's entry for a curve: the baseline of its text and the curve. */
  record LegendEntry(double y, Curve curve) {
  }

  final int width;
  final int height;
  final String title;
  final String subtitle;
  final String xTitle;
  final String yTitle = "hit ratio";
  final double left;
  final double right;
  final double top;
  final double bottom;
  final List<Curve> curves = new ArrayList<>();
  final List<Tick> xTicks = new ArrayList<>();
  final List<Tick> yTicks = new ArrayList<>();
  final List<LegendEntry> legend = new ArrayList<>();
  final double legendX;
  final double legendY;
  final double legendWidth;
  final double legendHeight;
  private final boolean logX;
  private final double xMin;
  private final double xMax;
  private final double yTop;

  /**
   * Lays out the chart of {@code result}.
   *
   * @param width the image's width in pixels
   * @param height the image's height in pixels
   * @param text how the renderer measures text, so labels are placed without overlapping
   */
  HitRatioChart(SimulationResult result, int width, int height, TextWidth text) {
    this.width = width;
    this.height = height;
    List<Integer> sizes = new ArrayList<>(new TreeSet<>(result.sizes()));
    title = "Hit ratio by cache size";
    subtitle = String.format(Locale.ROOT, "trace %s: %,d accesses, %,d distinct keys",
        result.traceName(), result.accesses(), result.distinctKeys());
    int first = sizes.get(0);
    int last = sizes.get(sizes.size() - 1);
    logX = sizes.size() > 1 && (double) last / first >= 4;
    xTitle = "cache size (entries" + (logX ? ", log scale" : "") + ")";

    double best = 0;
    for (SimulatedPolicy p : result.policies()) {
      for (int s : sizes) {
        best = Math.max(best, result.hitRatioPercent(p, s));
      }
    }
    double step = yStep(best);
    yTop = Math.min(100, Math.max(step, Math.ceil((best + step / 10) / step) * step));
    double widestY = 0;
    for (double v = 0; v <= yTop + 1e-9; v += step) {
      String label = percent(v, step);
      widestY = Math.max(widestY, text.of(label, TICK_FONT, false));
    }

    List<Styled> styled = style(result, sizes);
    double widestName = text.of("policy", LEGEND_FONT, true);
    for (Styled c : styled) {
      widestName = Math.max(widestName, text.of(c.label(), LEGEND_FONT, false));
    }
    legendWidth = LEGEND_PADDING * 2 + LEGEND_SAMPLE + 8 + widestName;
    legendHeight = LEGEND_PADDING * 2 + LEGEND_ROW * (styled.size() + 1);

    top = OUTER + TITLE_FONT + 8 + SUBTITLE_FONT + 24;
    left = OUTER + AXIS_FONT + 14 + widestY + 8;
    bottom = height - (OUTER + AXIS_FONT + 14 + TICK_FONT + 10);
    right = width - (OUTER + legendWidth + 24);
    legendX = right + 24;
    legendY = top;

    double t0 = transform(first);
    double t1 = transform(last);
    double pad = t1 > t0 ? (t1 - t0) * 0.05 : (logX ? 0.3 : Math.max(1, first * 0.5));
    xMin = t0 - pad;
    xMax = t1 + pad;

    for (double v = 0; v <= yTop + 1e-9; v += step) {
      yTicks.add(new Tick(y(v), percent(v, step)));
    }
    double lastEnd = Double.NEGATIVE_INFINITY;
    for (int s : sizes) {
      String label = String.format(Locale.ROOT, "%,d", s);
      double w = text.of(label, TICK_FONT, false);
      double at = x(s);
      // Sizes close together would print over each other: keep the first of a crowd.
      if (at - w / 2 > lastEnd + 6) {
        xTicks.add(new Tick(at, label));
        lastEnd = at + w / 2;
      }
    }
    for (Styled c : styled) {
      double[] xs = new double[sizes.size()];
      double[] ys = new double[sizes.size()];
      for (int i = 0; i < sizes.size(); i++) {
        xs[i] = x(c.sizes()[i]);
        ys[i] = y(c.percents()[i]);
      }
      curves.add(new Curve(c.policy(), c.label(), c.colour(), c.dashed(), c.marker(),
          c.radius(), xs, ys, c.sizes(), c.percents()));
    }
    // The legend lists the curves top to bottom as they end at the largest size, so the eye
    // goes straight from a curve's end to its name.
    List<Curve> byEnd = new ArrayList<>(curves);
    // On a tie the bound comes first, as it is never below the others.
    byEnd.sort(Comparator.comparingDouble((Curve c) -> -c.percents()[c.percents().length - 1])
        .thenComparing(c -> !c.dashed()));
    for (int i = 0; i < byEnd.size(); i++) {
      legend.add(new LegendEntry(legendY + LEGEND_PADDING + LEGEND_ROW * (i + 1.5), byEnd.get(i)));
    }
  }

  private static List<Styled> style(SimulationResult result, List<Integer> sizes) {
    List<Styled> styled = new ArrayList<>();
    int contender = 0;
    for (SimulatedPolicy p : result.policies()) {
      int[] ss = sizes.stream().mapToInt(Integer::intValue).toArray();
      double[] ratios = new double[ss.length];
      for (int i = 0; i < ss.length; i++) {
        ratios[i] = result.hitRatioPercent(p, ss[i]);
      }
      boolean bound = p.name().equals(BOUND);
      String colour = bound ? BOUND_COLOUR : PALETTE.get(contender % PALETTE.size());
      Marker marker = bound ? Marker.CIRCLE
          : Marker.values()[contender % Marker.values().length];
      if (!bound) {
        contender++;
      }
      // Curves drawn later get smaller markers, so where two curves share a point (LRU and
      // FIFO often do) the earlier marker still shows around the later one.
      double radius = Math.max(3.5, 6 - 0.5 * styled.size());
      styled.add(new Styled(p.name(), bound ? p.name() + " (optimal)" : p.name(), colour,
          bound, marker, radius, ss, ratios));
    }
    return hiddenCurvesNamed(styled);
  }

  /**
   * Curves equal at every size (LRU, LFU and FIFO on a loop) are drawn one over the other, and
   * only the last shows: name it in the legend labels of those it hides, so none seems missing.
   */
  private static List<Styled> hiddenCurvesNamed(List<Styled> styled) {
    List<Styled> named = new ArrayList<>();
    for (int i = 0; i < styled.size(); i++) {
      Styled c = styled.get(i);
      Styled cover = null;
      for (int j = i + 1; j < styled.size(); j++) {
        if (same(c.percents(), styled.get(j).percents())) {
          cover = styled.get(j);
        }
      }
      named.add(cover == null ? c : new Styled(c.policy(), c.label() + " (under "
          + cover.policy() + ")", c.colour(), c.dashed(), c.marker(), c.radius(), c.sizes(),
          c.percents()));
    }
    return named;
  }

  private static boolean same(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      // Equal as printed (two decimals), which is what a reader could tell apart.
      if (Math.abs(a[i] - b[i]) >= 0.005) {
        return false;
      }
    }
    return true;
  }

  private static double yStep(double best) {
    for (double step : Y_STEPS) {
      if (Math.ceil((best + step / 10) / step) <= MAX_Y_TICKS) {
        return step;
      }
    }
    return Y_STEPS[Y_STEPS.length - 1];
  }

  private static String percent(double v, double step) {
    return step < 1 ? String.format(Locale.ROOT, "%.1f%%", v)
        : String.format(Locale.ROOT, "%d%%", Math.round(v));
  }

  private double transform(double size) {
    return logX ? Math.log10(size) : size;
  }

  /** The horizontal pixel of cache size {@code size}. */
  double x(double size) {
    return left + (transform(size) - xMin) / (xMax - xMin) * (right - left);
  }

  /** The vertical pixel of hit ratio {@code percent}. */
  double y(double percent) {
    return bottom - percent / yTop * (bottom - top);
  }

  /** A hit ratio as the tooltips and tables show it. */
  static String ratio(double percent) {
    return String.format(Locale.ROOT, "%.2f%%", percent);
  }
}
