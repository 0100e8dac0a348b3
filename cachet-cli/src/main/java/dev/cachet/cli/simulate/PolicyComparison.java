package dev.cachet.cli.simulate;

import dev.cachet.cli.simulate.candidates.CandidateCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays every reference trace through every policy at sizes spanning each trace's distinct keys,
 * and renders one Markdown table with, per cell, the gap of a chosen policy to the best of the
 * simple ones (LRU, FIFO, LFU and ADAPTIVE, which is Caffeine). This is how the policy comparison
 * in {@code cachet-bench/RESULTS.md} is produced.
 *
 * <p>Usage: see {@link #main}.
 */
public final class PolicyComparison {
  /** The policies the goal is measured against. */
  public static final List<SimulatedPolicy> SIMPLE = List.of(SimulatedPolicy.LRU,
      SimulatedPolicy.FIFO, SimulatedPolicy.LFU, SimulatedPolicy.ADAPTIVE);

  /** Sizes per trace: from a few percent of the distinct keys to nearly all of them. */
  public static final Map<String, List<Integer>> SIZES = sizes();

  private PolicyComparison() {
  }

  private static Map<String, List<Integer>> sizes() {
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    m.put("2_pools", List.of(100, 500, 1000, 2500, 5000));
    m.put("cpp", List.of(50, 100, 200, 400, 800));
    m.put("cs", List.of(100, 200, 400, 800, 1200));
    m.put("gli", List.of(250, 500, 1000, 1500, 2000));
    m.put("loop", List.of(128, 256, 512, 768, 1000));
    m.put("multi1", List.of(250, 500, 1000, 1500, 2000));
    m.put("multi2", List.of(500, 1000, 2000, 3000, 4000));
    m.put("multi3", List.of(500, 1000, 2000, 4000, 6000));
    m.put("ps", List.of(250, 500, 1000, 2000, 3000));
    m.put("scan", List.of(250, 500, 1000, 1500, 2000));
    m.put("sprite", List.of(100, 250, 500, 1000, 2000));
    m.put("zigzag", List.of(250, 500, 1000, 1500, 2000));
    return m;
  }

  /**
   * Runs the comparison and prints the Markdown section to standard output, or rewrites it in a
   * results file.
   *
   * @param args {@code [--traces DIR] [--ours POLICY] [--policies P,Q,...] [--seeds N]
   *     [--results FILE]}: the traces folder (default {@code traces}), the policy whose gap is
   *     reported (default {@code SHADOW_TUNED}), the policies (default all), how many seeds the
   *     robustness line replays {@code --ours} with (default 5), and the Markdown file whose
   *     section between {@value #START} and {@value #END} is replaced (appended when absent)
   */
  public static void main(String[] args) throws TraceException, IOException {
    Path folder = Path.of("traces");
    SimulatedPolicy ours = SimulatedPolicy.SHADOW_TUNED;
    List<SimulatedPolicy> policies = new ArrayList<>(List.of(SimulatedPolicy.values()));
    int seeds = 5;
    Path results = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--traces" -> folder = Path.of(args[i + 1]);
        case "--ours" -> ours = SimulatedPolicy.valueOf(args[i + 1]);
        case "--policies" -> {
          policies.clear();
          for (String p : args[i + 1].split(",")) {
            policies.add(SimulatedPolicy.valueOf(p.trim()));
          }
        }
        case "--seeds" -> seeds = Integer.parseInt(args[i + 1]);
        case "--results" -> results = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    for (SimulatedPolicy p : SIMPLE) {
      if (!policies.contains(p)) {
        policies.add(p);
      }
    }
    if (!policies.contains(ours)) {
      policies.add(ours);
    }
    // OPT last, next to the gap, as the ceiling.
    policies.remove(SimulatedPolicy.OPT);
    policies.add(SimulatedPolicy.OPT);
    List<SimulationResult> rs = new ArrayList<>();
    List<Trace> traces = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : SIZES.entrySet()) {
      Path file = folder.resolve(e.getKey() + ".trace.gz");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("missing trace " + file);
      }
      Trace trace = TraceReader.read(file);
      traces.add(trace);
      rs.add(Simulator.run(trace, policies, e.getValue(), Progress.NONE));
    }
    String table = render(rs, policies, ours);
    // A store takes no seed; SHADOW_TUNED's other-seed line replays the model it implements.
    SimulatedPolicy seeded = ours == SimulatedPolicy.SHADOW_TUNED ? SimulatedPolicy.SHADOW : ours;
    String robustness = seeded.isModel() ? seedRobustness(traces, rs, seeded, seeds) : "";
    String section = section(table + robustness, ours);
    if (results == null) {
      System.out.print(section);
    } else {
      replaceSection(results, section);
      System.out.println("rewrote the " + START + " section of " + results);
    }
  }

  /** The start marker of the section in {@code cachet-bench/RESULTS.md}. */
  public static final String START = "<!-- policy-sim:start -->";
  /** The end marker of the section. */
  public static final String END = "<!-- policy-sim:end -->";

  private static String section(String body, SimulatedPolicy ours) {
    return START + "\n## Policy comparison (simulator)\n\n"
        + "Reproduce (rewrites only this section; about half a minute):\n\n```\n"
        + "mvn -q -DskipTests -pl cachet-cli -am package\n"
        + "java -cp cachet-cli/target/cachet-cli.jar dev.cachet.cli.simulate.PolicyComparison"
        + " --results cachet-bench/RESULTS.md\n```\n\n"
        + "Hit ratios in percent of every policy on every trace of `traces/` (see"
        + " traces/README.md) at five sizes from a few percent of the trace's distinct keys to"
        + " nearly all of them, single-threaded, from an empty cache. LRU, LFU, FIFO, ADAPTIVE"
        + " (Caffeine's W-TinyLFU) and SHADOW_TUNED (the experimental store built from the"
        + " SHADOW model) are Cachet's stores; the others are simulator-only models"
        + " (`dev.cachet.cli.simulate.candidates`), replayed with one fixed seed. OPT is Belady's"
        + " optimum for caches that store every miss. *Best simple* is the best of LRU, FIFO, LFU"
        + " and ADAPTIVE in that cell; the last column is " + ours.name() + " minus that best,"
        + " in bold where it misses the goal (within one point). ADAPTIVE's admission is"
        + " randomized (Caffeine's own random source), so its column, and with it the best"
        + " simple policy, moves by a few tenths between runs.\n\n"
        + body + END + "\n";
  }

  private static void replaceSection(Path file, String section) throws IOException {
    String text = Files.readString(file);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    String updated;
    if (start >= 0 && end > start) {
      int after = end + END.length();
      if (after < text.length() && text.charAt(after) == '\n') {
        after++;
      }
      updated = text.substring(0, start) + section + text.substring(after);
    } else {
      updated = text + (text.endsWith("\n") ? "\n" : "\n\n") + section;
    }
    Files.writeString(file, updated);
  }

  /**
   * How many cells the model {@code ours} meets the goal in when replayed with other seeds: the
   * model's sketch hashes and key sample change with the seed, so one seed's count can flatter
   * it.
   */
  private static String seedRobustness(List<Trace> traces, List<SimulationResult> rs,
      SimulatedPolicy ours, int seeds) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%nThe %s model with %d other seeds, which change its sketch's hashes and its key"
            + " sample (cells within one point of the best simple policy of the run above, and"
            + " the worst gap):", ours.name(), seeds));
    for (int s = 1; s <= seeds; s++) {
      long seed = SimulatedPolicy.SEED + 7919L * s;
      int met = 0;
      double worst = Double.POSITIVE_INFINITY;
      for (int t = 0; t < traces.size(); t++) {
        Trace trace = traces.get(t);
        SimulationResult r = rs.get(t);
        for (int size : r.sizes()) {
          CandidateCache cache = ours.newModel(size, seed);
          long hits = 0;
          for (long k : trace.rawKeys()) {
            if (cache.access(k)) {
              hits++;
            }
          }
          double gap = 100.0 * hits / trace.accesses() - bestSimple(r, size);
          if (gap >= -1.0) {
            met++;
          }
          worst = Math.min(worst, gap);
        }
      }
      out.append(s == 1 ? " " : "; ").append(met).append(" (").append(signed(worst))
          .append(')');
    }
    return out.append(".\n").toString();
  }

  private static double bestSimple(SimulationResult r, int size) {
    double best = 0;
    for (SimulatedPolicy p : SIMPLE) {
      best = Math.max(best, r.hitRatioPercent(p, size));
    }
    return best;
  }

  /** The Markdown table and a one-line summary of how many cells meet the goal. */
  static String render(List<SimulationResult> results, List<SimulatedPolicy> policies,
      SimulatedPolicy ours) {
    StringBuilder out = new StringBuilder("| trace | size |");
    StringBuilder rule = new StringBuilder("|---|---:|");
    for (SimulatedPolicy p : policies) {
      out.append(' ').append(p.name()).append(" |");
      rule.append("---:|");
    }
    out.append(" best simple | ").append(ours.name()).append(" - best |\n");
    rule.append("---|---:|\n");
    out.append(rule);
    int cells = 0;
    int met = 0;
    double worst = Double.POSITIVE_INFINITY;
    StringBuilder perTrace = new StringBuilder(String.format(
        "%nPer trace: cells within one point, worst gap of %s, and the best simple policy at"
            + " each size.%n%n| trace | cells | worst gap | best simple by size |%n"
            + "|---|---:|---:|---|%n", ours.name()));
    for (SimulationResult r : results) {
      int traceMet = 0;
      double traceWorst = Double.POSITIVE_INFINITY;
      List<String> bests = new ArrayList<>();
      for (int size : r.sizes()) {
        out.append("| ").append(r.traceName().replace(".trace.gz", "")).append(" | ")
            .append(size).append(" |");
        for (SimulatedPolicy p : policies) {
          out.append(' ').append(ResultFormat.percent(r.hitRatioPercent(p, size))).append(" |");
        }
        SimulatedPolicy best = SIMPLE.get(0);
        for (SimulatedPolicy p : SIMPLE) {
          if (r.hitRatioPercent(p, size) > r.hitRatioPercent(best, size)) {
            best = p;
          }
        }
        double gap = r.hitRatioPercent(ours, size) - r.hitRatioPercent(best, size);
        cells++;
        if (gap >= -1.0) {
          met++;
          traceMet++;
        }
        worst = Math.min(worst, gap);
        traceWorst = Math.min(traceWorst, gap);
        bests.add(best.name());
        out.append(' ').append(best.name()).append(" | ")
            .append(gap < -1.0 ? "**" + signed(gap) + "**" : signed(gap)).append(" |\n");
      }
      perTrace.append("| ").append(r.traceName().replace(".trace.gz", "")).append(" | ")
          .append(traceMet).append('/').append(r.sizes().size()).append(" | ")
          .append(signed(traceWorst)).append(" | ").append(String.join(", ", bests))
          .append(" |\n");
    }
    out.append(perTrace);
    out.append("\nCells (of ").append(cells).append(") where each policy is within one point of the"
        + " best simple policy:");
    for (SimulatedPolicy p : policies) {
      if (p == SimulatedPolicy.OPT) {
        continue;
      }
      int pm = 0;
      for (SimulationResult r : results) {
        for (int size : r.sizes()) {
          if (r.hitRatioPercent(p, size) >= bestSimple(r, size) - 1.0) {
            pm++;
          }
        }
      }
      out.append(p == policies.get(0) ? " " : ", ").append(p.name()).append(' ').append(pm);
    }
    out.append(".\n");
    out.append(String.format(Locale.ROOT,
        "%n%s is within one point of the best simple policy in %d of %d cells; worst gap %s.%n",
        ours.name(), met, cells, signed(worst)));
    return out.toString();
  }

  private static String signed(double v) {
    return String.format(Locale.ROOT, "%+.2f", v);
  }
}
