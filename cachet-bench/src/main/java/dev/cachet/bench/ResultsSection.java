package dev.cachet.bench;

/**
 * One run's part of RESULTS.md, between an HTML-comment start and end marker. Each benchmark
 * run (the short run, the disk run, the Redis coherence harness...) rewrites only its own part,
 * so running one never loses the numbers another recorded.
 *
 * @param start the start marker, such as {@code <!-- disk-tier:start -->}
 * @param end the end marker
 */
record ResultsSection(String start, String end) {

  /** The section whose markers are {@code <!-- NAME:start -->} and {@code <!-- NAME:end -->}. */
  static ResultsSection named(String name) {
    return new ResultsSection("<!-- " + name + ":start -->", "<!-- " + name + ":end -->");
  }

  /** {@code body} between this section's markers. */
  String wrap(String body) {
    return start + "\n" + body.strip() + "\n" + end;
  }

  /**
   * {@code report} with this section replaced by {@code section} (markers included); a report
   * without the section gets it at the end, or at the start when {@code first}.
   */
  String replaceIn(String report, String section, boolean first) {
    int from = report.indexOf(start);
    int to = report.indexOf(end);
    if (from >= 0 && to > from) {
      return report.substring(0, from) + section + report.substring(to + end.length());
    }
    if (first) {
      return section + "\n\n" + report;
    }
    return report + (report.isEmpty() || report.endsWith("\n\n") ? "" : "\n") + section + "\n";
  }
}
