package dev.cachet.llm.semantic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers the {@link Verifier} looks at to decide whether a near-hit asks the same thing
 * as the stored prompt: the embedding similarity, the guard's verdict by rule, lexical
 * differences between the two texts (content words only in one of them, names and numbers only
 * in one of them, length) and the {@link TokenAlignment} of the model's token vectors.
 *
 * <p>Why these: a single cosine cannot see that "How do I learn Java?" and "How do I learn Java
 * in 30 days?" differ, because one extra content word barely moves a mean-pooled vector; the
 * fraction of content words left unmatched does see it. The classifier weighs them; these methods
 * only measure. Stateless and thread-safe.
 */
public final class PairFeatures {

  /** The names of the features, in the order of {@link #of}'s array. */
  public static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>(List.of(
        "cosine", "cosine_squared", "guard_numbers", "guard_negation",
        "guard_entities", "guard_other", "unmatched_content_max", "unmatched_content_min",
        "content_jaccard", "length_ratio", "unmatched_names", "unmatched_content_words",
        "cosine_x_unmatched", "cosine_x_jaccard"));
    names.addAll(TokenAlignment.NAMES);
    NAMES = List.copyOf(names);
  }

  private static final int LEXICAL = 14;

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");

  /** Function words: their presence or absence does not change what a question asks. */
  private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "but", "if",
      "then", "so", "of", "in", "on", "at", "to", "for", "from", "by", "with", "about", "as",
      "into", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did",
      "have", "has", "had", "can", "could", "should", "would", "will", "shall", "may", "might",
      "must", "i", "me", "my", "you", "your", "we", "us", "our", "they", "them", "their", "he",
      "him", "his", "she", "her", "it", "its", "this", "that", "these", "those", "what",
      "which", "who", "whom", "whose", "when", "where", "why", "how", "there", "here", "some",
      "any", "all", "each", "every", "please", "also", "just", "really", "very", "s", "said",
      "says", "one", "get", "way", "best", "good", "tell", "explain", "whats", "what's",
      "it's", "i'm", "than", "out", "up", "more", "most", "other", "such", "only", "own",
      "same", "too", "now", "over", "after", "before", "while", "during", "through");

  private PairFeatures() {
  }

  /**
   * Computes the features of a pair.
   *
   * @param query the new prompt
   * @param stored the stored prompt
   * @param cosine the cosine similarity of the two prompts under the cache's model
   * @param verdict the {@link SemanticGuard}'s verdict on the pair
   * @param queryTokens the query's token vectors ({@link Embedder#tokenVectors}); empty gives
   *     neutral alignment features
   * @param storedTokens the stored prompt's token vectors, likewise
   * @return the features, in the order of {@link #NAMES}
   */
  public static double[] of(String query, String stored, double cosine,
      SemanticGuard.Verdict verdict, float[][] queryTokens, float[][] storedTokens) {
    double[] lexical = lexical(query, stored, cosine, verdict);
    double[] alignment = TokenAlignment.of(queryTokens, storedTokens);
    double[] all = new double[LEXICAL + alignment.length];
    System.arraycopy(lexical, 0, all, 0, LEXICAL);
    System.arraycopy(alignment, 0, all, LEXICAL, alignment.length);
    return all;
  }

  private static double[] lexical(String query, String stored, double cosine,
      SemanticGuard.Verdict verdict) {
    Words a = new Words(query);
    Words b = new Words(stored);
    double unmatchedA = a.unmatchedFraction(b);
    double unmatchedB = b.unmatchedFraction(a);
    Set<String> union = new HashSet<>(a.content);
    union.addAll(b.content);
    Set<String> both = new HashSet<>(a.content);
    both.retainAll(b.content);
    double jaccard = union.isEmpty() ? 1 : (double) both.size() / union.size();
    double lengthRatio = Math.min(a.all.size(), b.all.size())
        / (double) Math.max(1, Math.max(a.all.size(), b.all.size()));
    int names = a.unmatchedNames(b) + b.unmatchedNames(a);
    int unmatchedWords = a.unmatchedCount(b) + b.unmatchedCount(a);
    String rule = verdict.accepted() ? "" : verdict.rule();
    return new double[] {
        cosine,
        cosine * cosine,
        rule.equals("numbers") ? 1 : 0,
        rule.equals("negation") ? 1 : 0,
        rule.equals("entities") ? 1 : 0,
        !verdict.accepted() && !rule.equals("numbers") && !rule.equals("negation")
            && !rule.equals("entities") ? 1 : 0,
        Math.max(unmatchedA, unmatchedB),
        Math.min(unmatchedA, unmatchedB),
        jaccard,
        lengthRatio,
        Math.min(names, 4) / 4.0,
        Math.min(unmatchedWords, 8) / 8.0,
        // A high cosine with many unmatched words is a topic match, not a paraphrase.
        cosine * Math.max(unmatchedA, unmatchedB),
        cosine * jaccard,
    };
  }

  /** The words of one text: all of them, the content words, and the names and numbers. */
  private static final class Words {
    final List<String> all = new ArrayList<>();
    final Set<String> content = new HashSet<>();
    final Set<String> names = new HashSet<>();

    Words(String text) {
      Matcher m = WORD.matcher(text);
      boolean first = true;
      while (m.find()) {
        String token = m.group().replace('’', '\'');
        if (token.endsWith("'s")) {
          token = token.substring(0, token.length() - 2);
        }
        String lower = token.toLowerCase(Locale.ROOT);
        String stem = stem(lower);
        all.add(stem);
        if (!STOP.contains(lower)) {
          content.add(stem);
          boolean capital = Character.isUpperCase(token.charAt(0)) && !first;
          boolean digit = token.chars().anyMatch(Character::isDigit);
          if (capital || digit) {
            names.add(stem);
          }
        }
        first = false;
      }
    }

    double unmatchedFraction(Words other) {
      return content.isEmpty() ? 0 : (double) unmatchedCount(other) / content.size();
    }

    int unmatchedCount(Words other) {
      int n = 0;
      for (String w : content) {
        if (!other.content.contains(w)) {
          n++;
        }
      }
      return n;
    }

    int unmatchedNames(Words other) {
      int n = 0;
      for (String w : names) {
        if (!other.content.contains(w)) {
          n++;
        }
      }
      return n;
    }

    /** Folds the commonest English inflections, so "learning" matches "learn". */
    private static String stem(String w) {
      if (w.length() > 5 && w.endsWith("ing")) {
        return w.substring(0, w.length() - 3);
      }
      if (w.length() > 4 && w.endsWith("ed")) {
        return w.substring(0, w.length() - 2);
      }
      if (w.length() > 4 && w.endsWith("ies")) {
        return w.substring(0, w.length() - 3) + "y";
      }
      if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
        return w.substring(0, w.length() - 1);
      }
      return w;
    }
  }
}
