package dev.cachet.llm.semantic.bundled;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.SemanticGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The labelled pairs of src/test/resources/semantic-eval.jsonl and scoring over them. */
final class EvalSet {
  /** One labelled pair. */
  record Pair(String a, String b, boolean same, String kind) {
  }

  /** A pair with its similarity and the guard's verdict. */
  record Scored(Pair pair, float similarity, SemanticGuard.Verdict verdict) {
    boolean predicted(double threshold, boolean guarded) {
      return similarity >= threshold && (!guarded || verdict.accepted());
    }
  }

  /** Precision, recall and F1 at one threshold. */
  record Metrics(double threshold, int tp, int fp, int fn, int tn) {
    double precision() {
      return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "threshold %.2f: precision %.3f recall %.3f F1 %.3f (tp %d fp %d fn %d tn %d)",
          threshold, precision(), recall(), f1(), tp, fp, fn, tn);
    }
  }

  static List<Pair> load() {
    ObjectMapper mapper = new ObjectMapper();
    List<Pair> pairs = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
        EvalSet.class.getResourceAsStream("/semantic-eval.jsonl")), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = mapper.readTree(line);
        pairs.add(new Pair(n.get("a").asText(), n.get("b").asText(), n.get("same").asBoolean(),
            n.get("kind").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pairs;
  }

  static List<Scored> score(List<Pair> pairs, Embedder embedder, SemanticGuard guard) {
    List<Scored> out = new ArrayList<>();
    for (Pair p : pairs) {
      float s = org.apache.lucene.util.VectorUtil.dotProduct(embedder.embed(p.a()),
          embedder.embed(p.b()));
      out.add(new Scored(p, s, guard.check(p.a(), p.b())));
    }
    return out;
  }

  static Metrics metrics(List<Scored> scored, double threshold, boolean guarded) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    for (Scored s : scored) {
      boolean predicted = s.predicted(threshold, guarded);
      if (s.pair().same()) {
        if (predicted) {
          tp++;
        } else {
          fn++;
        }
      } else if (predicted) {
        fp++;
      } else {
        tn++;
      }
    }
    return new Metrics(threshold, tp, fp, fn, tn);
  }

  private EvalSet() {
  }
}
