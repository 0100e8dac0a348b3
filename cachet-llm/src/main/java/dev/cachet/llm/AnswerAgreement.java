package dev.cachet.llm;

import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.Vectors;
import java.util.Locale;
import java.util.function.BiPredicate;

/**
 * The default judge of the error-bounded mode's explorations: whether a candidate's stored
 * answer would have served the query, judged by comparing it with the fresh answer. The same
 * text (ignoring case and spacing) agrees; otherwise both answers' embeddings under the cache's
 * model must have cosine at least {@value #MIN_SIMILARITY}.
 *
 * <p>Why a strict similarity: a false "agrees" lets wrong hits through the bound, a false
 * "disagrees" only keeps the threshold higher. It remains a heuristic; users' feedback on served
 * hits is the authoritative label.
 */
final class AnswerAgreement implements BiPredicate<LlmResponse, LlmResponse> {
  static final double MIN_SIMILARITY = 0.95;
  /** The embedder reads about this much; longer answers are compared by their beginning. */
  private static final int MAX_CHARS = 2_000;

  private final Embedder embedder;

  AnswerAgreement(Embedder embedder) {
    this.embedder = embedder;
  }

  @Override
  public boolean test(LlmResponse stored, LlmResponse fresh) {
    String a = normalized(stored.content());
    String b = normalized(fresh.content());
    if (a.equals(b)) {
      return true;
    }
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    float[] va = embedder.embed(a.length() > MAX_CHARS ? a.substring(0, MAX_CHARS) : a);
    float[] vb = embedder.embed(b.length() > MAX_CHARS ? b.substring(0, MAX_CHARS) : b);
    return Vectors.dot(va, vb) >= MIN_SIMILARITY;
  }

  private static String normalized(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
