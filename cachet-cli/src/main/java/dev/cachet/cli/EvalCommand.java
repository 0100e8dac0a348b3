package dev.cachet.cli;

import dev.cachet.cli.eval.LabelledPairs;
import dev.cachet.cli.eval.PrecisionRecallChart;
import dev.cachet.cli.eval.ThresholdSweep;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.bundled.Embedders;
import dev.cachet.llm.semantic.PairFeatures;
import dev.cachet.llm.semantic.SemanticGuard;
import dev.cachet.llm.semantic.Verifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cachet eval --pairs FILE}: runs a team's labelled prompt pairs through the semantic
 * cache's decision and prints precision and recall per similarity threshold, with a chart.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {"Measures the semantic cache on your own labelled prompt pairs: for each "
        + "threshold, the share of hits that are right (precision) and the share of "
        + "same-meaning pairs that hit (recall). Each pair is decided as the cache decides a "
        + "lookup: by default, the bundled model's cosine similarity at least 0.70, the guard "
        + "(numbers, negation, entities, opposites, roles) accepts, and the verifier's "
        + "probability reaches the threshold; the second table is the decision without the "
        + "verifier (noVerifier()), by similarity threshold.",
        "FILE holds JSON lines such as {\"a\": \"How do I learn Java?\", \"b\": \"How can I "
        + "learn Java?\", \"label\": 1} (label 1: b's cached answer is right for a)."},
    footer = {"", "Example:", "  cachet eval --pairs my-pairs.jsonl --chart pr.html"})
public final class EvalCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--pairs", required = true, paramLabel = "FILE",
      description = "JSON lines of labelled pairs.")
  Path pairs;

  @Option(names = "--chart", paramLabel = "FILE", defaultValue = "semantic-eval.html",
      description = "Where to write the chart, a self-contained HTML page (default: "
          + "${DEFAULT-VALUE}).")
  Path chart;

  @Option(names = "--target-precision", paramLabel = "P", defaultValue = "0.95",
      description = "Suggest the lowest threshold whose precision reaches P (default: "
          + "${DEFAULT-VALUE}).")
  double targetPrecision;

  /** Reads, scores, prints the table and writes the chart. */
  @Override
  public Integer call() {
    if (!Files.isReadable(pairs)) {
      throw new ParameterException(spec.commandLine(), "Cannot read the pairs file " + pairs);
    }
    List<LabelledPairs.Pair> labelled;
    try {
      labelled = LabelledPairs.read(pairs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + pairs, e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (labelled.isEmpty()) {
      throw new ParameterException(spec.commandLine(), pairs + " holds no pairs");
    }
    PrintWriter out = spec.commandLine().getOut();
    Embedder embedder = Embedders.allMiniLmL6V2();
    SemanticGuard guard = new SemanticGuard();
    Verifier verifier = Verifier.bundled();
    List<ThresholdSweep.Scored> bySimilarity = new ArrayList<>(labelled.size());
    List<ThresholdSweep.Scored> byVerifier = new ArrayList<>(labelled.size());
    for (LabelledPairs.Pair p : labelled) {
      double similarity = dot(embedder.embed(p.query()), embedder.embed(p.stored()));
      SemanticGuard.Verdict verdict = guard.check(p.query(), p.stored());
      bySimilarity.add(new ThresholdSweep.Scored(p.same(), similarity, verdict.accepted()));
      double probability = similarity < Verifier.DEFAULT_CANDIDATE_SIMILARITY ? -1
          : verifier.probability(PairFeatures.of(p.query(), p.stored(), similarity, verdict,
              embedder.tokenVectors(p.query()), embedder.tokenVectors(p.stored())));
      byVerifier.add(new ThresholdSweep.Scored(p.same(), probability,
          verifier.passesGuard(verdict)));
    }
    long same = labelled.stream().filter(LabelledPairs.Pair::same).count();
    out.printf(Locale.ROOT, "%d pairs (%d labelled the same), model %s, guard on%n",
        labelled.size(), same, embedder.id());
    double shipped = verifier.decisionThreshold();
    out.printf(Locale.ROOT, "%nDefault decision: similarity >= %.2f, guard, verifier "
        + "probability >= threshold%n", Verifier.DEFAULT_CANDIDATE_SIMILARITY);
    List<ThresholdSweep.Point> verified = ThresholdSweep.sweep(byVerifier, 0.50, 0.99, 0.01);
    table(out, verified, shipped, "probability", targetPrecision,
        "LlmCache.builder(...).verifier(Verifier.bundled().withDecisionThreshold(%.2f))");
    out.printf(Locale.ROOT, "%nWithout the verifier (noVerifier()): similarity >= threshold, "
        + "guard%n");
    table(out, ThresholdSweep.sweep(bySimilarity, 0.50, 0.99, 0.01),
        LlmCache.DEFAULT_SIMILARITY_THRESHOLD, "similarity", targetPrecision,
        "LlmCache.builder(...).noVerifier().similarityThreshold(%.2f)");
    try {
      Files.writeString(chart, PrecisionRecallChart.html("Semantic cache on "
          + pairs.getFileName(), "verifier probability threshold", String.format(Locale.ROOT,
          "The default decision: a hit needs similarity %.2f, the guard's approval and the "
          + "verifier's probability at least the threshold.",
          Verifier.DEFAULT_CANDIDATE_SIMILARITY), verified, shipped), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the chart " + chart, e);
    }
    out.println("Chart: " + chart.toAbsolutePath());
    out.flush();
    return CommandLine.ExitCode.OK;
  }

  private static void table(PrintWriter out, List<ThresholdSweep.Point> points, double def,
      String score, double targetPrecision, String setting) {
    out.printf(Locale.ROOT, "%11s  precision  recall  hits  wrong hits%n", score);
    for (ThresholdSweep.Point p : points) {
      boolean isDefault = Math.abs(p.threshold() - def) < 1e-9;
      // Every 5th threshold keeps the table readable; the chart has them all.
      if (Math.round(p.threshold() * 100) % 5 == 0 || isDefault) {
        out.printf(Locale.ROOT, "%11.2f  %9.3f  %6.3f  %4d  %10d%s%n", p.threshold(),
            p.precision(), p.recall(), p.hits(), p.wrongHits(), isDefault ? "  (default)" : "");
      }
    }
    points.stream().filter(p -> p.hits() > 0 && p.precision() >= targetPrecision).findFirst()
        .ifPresentOrElse(p -> out.printf(Locale.ROOT, "Lowest threshold with precision >= %.2f:"
            + " %.2f (recall %.3f). Set it with " + setting + ".%n", targetPrecision,
            p.threshold(), p.recall(), p.threshold()),
            () -> out.printf(Locale.ROOT, "No threshold reaches precision %.2f on these pairs.%n",
                targetPrecision));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
