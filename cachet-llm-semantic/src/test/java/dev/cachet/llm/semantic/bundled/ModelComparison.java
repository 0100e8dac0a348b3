package dev.cachet.llm.semantic.bundled;

import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.SemanticGuard;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Compares the two candidate embedding models on the evaluation set: similarity threshold
 * sweep (with and without the guard) and embedding latency. A main, not a test: it takes a
 * minute and prints numbers for the README. Run it from an IDE, or after
 * {@code mvn -Dcachet.target=target-llm -pl cachet-llm test-compile} with
 * {@code java -cp <test-classes>:<classes>:<test class path> dev.cachet.llm.semantic.ModelComparison}
 * ({@code -Deval.dump=true} lists every pair with its similarity and the guard's verdict).
 */
public final class ModelComparison {
  private ModelComparison() {
  }

  /**
   * Runs the comparison.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    List<EvalSet.Pair> pairs = EvalSet.load();
    SemanticGuard guard = new SemanticGuard();
    report("all-minilm-l6-v2-q", Embedders.allMiniLmL6V2(), pairs, guard);
    report("bge-small-en-v1.5-q", Embedders.of(new BgeSmallEnV15QuantizedEmbeddingModel(),
        "bge-small-en-v1.5-q"), pairs, guard);
  }

  static void report(String name, Embedder embedder, List<EvalSet.Pair> pairs,
      SemanticGuard guard) {
    embedder.embed("warm up the model");
    List<EvalSet.Scored> scored = EvalSet.score(pairs, embedder, guard);
    System.out.println("== " + name);
    for (double t = 0.70; t <= 0.981; t += 0.02) {
      System.out.println("guarded   " + EvalSet.metrics(scored, t, true));
      System.out.println("unguarded " + EvalSet.metrics(scored, t, false));
    }
    long[] nanos = new long[300];
    String[] texts = pairs.stream().map(EvalSet.Pair::a).toArray(String[]::new);
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      embedder.embed(texts[i % texts.length] + " " + i);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "embedding latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n",
        nanos[150] / 1e6, nanos[270] / 1e6, nanos[297] / 1e6);
    if (Boolean.getBoolean("eval.dump")) {
      for (EvalSet.Scored s : scored) {
        System.out.printf(Locale.ROOT, "%s %.3f %-5s %-10s %s | %s | %s%n",
            s.pair().same() ? "POS" : "NEG", s.similarity(), s.verdict().accepted(),
            s.pair().kind(), s.pair().a(), s.pair().b(), s.verdict().detail());
      }
    }
  }
}
