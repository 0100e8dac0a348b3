package dev.cachet.cli.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link SimulationResult} for people (a table) or for tools (CSV). */
public enum ResultFormat {
  /** An aligned table: one row per policy, one column per size, hit ratios in percent. */
  TABLE {
    @Override
    public String render(SimulationResult r) {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "Trace %s: %,d accesses, %,d distinct keys%n%n",
          r.traceName(), r.accesses(), r.distinctKeys()));
      List<String> header = new ArrayList<>();
      header.add("policy");
      r.sizes().forEach(s -> header.add(String.valueOf(s)));
      List<List<String>> rows = new ArrayList<>();
      for (SimulatedPolicy p : r.policies()) {
        List<String> row = new ArrayList<>();
        row.add(p.name());
        for (int size : r.sizes()) {
          row.add(percent(r.hitRatioPercent(p, size)));
        }
        rows.add(row);
      }
      int[] widths = new int[header.size()];
      for (int c = 0; c < widths.length; c++) {
        widths[c] = header.get(c).length();
        for (List<String> row : rows) {
          widths[c] = Math.max(widths[c], row.get(c).length());
        }
      }
      out.append(String.format("Hit ratio (%%) by cache size (entries)%n"));
      appendRow(out, header, widths);
      for (List<String> row : rows) {
        appendRow(out, row, widths);
      }
      if (r.policies().contains(SimulatedPolicy.OPT)) {
        out.append(String.format("%nOPT is Belady's optimal policy: it knows the future, so it"
            + " scores the most hits%na cache that stores every miss can score.%n"));
      }
      return out.toString();
    }
  },

  /**
   * CSV in long form, one line per policy and size, with a header: easy to load into a
   * spreadsheet or a plotting library.
   */
  CSV {
    @Override
    public String render(SimulationResult r) {
      StringBuilder out = new StringBuilder(
          "trace,policy,size,accesses,distinct_keys,hits,hit_ratio_percent\n");
      for (SimulatedPolicy p : r.policies()) {
        for (int size : r.sizes()) {
          out.append(csvField(r.traceName())).append(',').append(p.name()).append(',')
              .append(size).append(',').append(r.accesses()).append(',')
              .append(r.distinctKeys()).append(',').append(r.hits(p, size)).append(',')
              .append(percent(r.hitRatioPercent(p, size))).append('\n');
        }
      }
      return out.toString();
    }
  };

  /** The result as text, ending with a line break. */
  public abstract String render(SimulationResult result);

  /** A percentage with two decimals, whatever the user's locale. */
  static String percent(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
    // The policy column is left-aligned, the numbers right-aligned so decimals line up.
    out.append(String.format("%-" + widths[0] + "s", cells.get(0)));
    for (int c = 1; c < cells.size(); c++) {
      out.append("  ").append(String.format("%" + widths[c] + "s", cells.get(c)));
    }
    out.append(System.lineSeparator());
  }

  private static String csvField(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
