package dev.cachet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with left-aligned columns, sized to their widest cell. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  /**
   * Starts a table.
   *
   * @param headers the column titles
   */
  Table(String... headers) {
    columns = headers.length;
    rows.add(headers);
  }

  /**
   * Adds a row.
   *
   * @param cells one value per column; null prints as empty
   * @return this table
   */
  Table row(Object... cells) {
    String[] text = new String[columns];
    for (int i = 0; i < columns; i++) {
      text[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
    }
    rows.add(text);
    return this;
  }

  /**
   * Prints the table.
   *
   * @param out where to
   */
  void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
