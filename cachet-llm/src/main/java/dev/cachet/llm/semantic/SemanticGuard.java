package dev.cachet.llm.semantic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rejects near-matches that an embedding finds similar but that ask something different. A
 * semantic hit must pass every rule, comparing the new prompt with the stored one:
 *
 * <ol>
 *   <li><b>Numbers</b>: the same numbers, as a multiset. Digits ({@code 2}, {@code 2.50},
 *       {@code 1,000}), number words ({@code three}, {@code twenty}, {@code hundred}) and
 *       ordinals ({@code first}, {@code 10th}) are normalized to values first, so
 *       {@code 2.0} equals {@code 2} and {@code three} equals {@code 3}.</li>
 *   <li><b>Operators</b>: the same arithmetic operators ({@code + - * / ^ % =} and the words
 *       plus, minus, times, divided, squared, ...).</li>
 *   <li><b>Negation</b>: the same number of negation cues (not, no, never, without, cannot,
 *       -n't, ...), and no word whose negated form ({@code un-}, {@code in-}, {@code im-},
 *       {@code il-}, {@code ir-}, {@code dis-}, {@code non-}) is in the other prompt: "safe"
 *       versus "unsafe".</li>
 *   <li><b>Opposites</b>: no pair of common opposites split between the prompts (open/close,
 *       upload/download, maximum/minimum, ...; see {@link #OPPOSITES}).</li>
 *   <li><b>Entities</b>: every key entity of each prompt appears in the other (ignoring case,
 *       a plural s and a possessive 's). An entity is a word
 *       written with a capital that is not a common word (names, places, products:
 *       {@code Python}, {@code Paris}), an acronym ({@code TV}, {@code NASA}), or a word
 *       mixing letters and digits ({@code IPv6}, {@code S3}). "function of TV" therefore
 *       never matches "function of money".</li>
 *   <li><b>Swapped roles</b>: the word after "from", "than", "into" or "vs" must be the same
 *       when both prompts use that word ("from London to Paris" / "from Paris to London"),
 *       and two prompts made of the same words in another order differ ("convert USD to EUR"
 *       / "convert EUR to USD", "is a cat bigger than a dog" / "is a dog bigger than a
 *       cat").</li>
 * </ol>
 *
 * <p>The rules are deliberately lexical and cheap (microseconds): they run only on candidates
 * already above the similarity threshold, and their cost on recall is measured by the module's
 * evaluation set. Thread-safe and stateless.
 */
public final class SemanticGuard {

  /**
   * The outcome of a check.
   *
   * @param accepted whether the stored answer may be served for the new prompt
   * @param rule the rule that rejected it ({@code numbers}, {@code operators}, {@code negation},
   *     {@code opposites}, {@code entities}, {@code roles}), or null when accepted
   * @param detail what differed, for people
   */
  public record Verdict(boolean accepted, String rule, String detail) {
    static final Verdict OK = new Verdict(true, null, "passed");

    static Verdict reject(String rule, String detail) {
      return new Verdict(false, rule, detail);
    }
  }

  private static final Pattern TOKEN = Pattern.compile(
      "\\d+(?:[.,]\\d+)+|[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");
  private static final Pattern ORDINAL = Pattern.compile("(\\d+)(?:st|nd|rd|th)");
  private static final Pattern DIGITS = Pattern.compile("\\d+(?:[.,]\\d+)*");
  private static final Pattern OPERATOR = Pattern.compile(
      "(?<=[\\d\\s)])[-+*/×÷^=<>%](?=[\\s\\d(]|$)|(?<=\\d)%");

  private static final Map<String, String> NUMBER_WORDS = new HashMap<>();
  private static final Map<String, String> OPERATOR_WORDS = Map.of("plus", "+", "minus", "-",
      "times", "*", "multiplied", "*", "divided", "/", "squared", "^2",
      "cubed", "^3", "power", "^", "percent", "%");
  private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "nobody",
      "nothing", "neither", "nor", "without", "cannot", "nowhere");
  private static final List<String> NEGATING_PREFIXES = List.of("un", "in", "im", "il", "ir",
      "dis", "non", "de");

  /** Pairs of opposites that turn one question into another. */
  public static final List<List<String>> OPPOSITES = List.of(
      List.of("open", "close"), List.of("start", "stop"), List.of("add", "remove"),
      List.of("add", "delete"), List.of("increase", "decrease"), List.of("max", "min"),
      List.of("maximum", "minimum"), List.of("longest", "shortest"),
      List.of("fastest", "slowest"), List.of("largest", "smallest"),
      List.of("biggest", "smallest"), List.of("highest", "lowest"),
      List.of("gain", "lose"), List.of("win", "lose"), List.of("upload", "download"),
      List.of("buy", "sell"), List.of("hire", "fire"), List.of("encrypt", "decrypt"),
      List.of("before", "after"), List.of("import", "export"), List.of("first", "last"),
      List.of("best", "worst"), List.of("cause", "effect"), List.of("causes", "effects"),
      List.of("hot", "cold"), List.of("high", "low"), List.of("more", "less"),
      List.of("inside", "outside"), List.of("upgrade", "downgrade"), List.of("up", "down"),
      List.of("enable", "disable"), List.of("login", "logout"), List.of("push", "pull"),
      List.of("input", "output"), List.of("early", "late"), List.of("cheap", "expensive"),
      List.of("positive", "negative"), List.of("true", "false"), List.of("left", "right"),
      List.of("north", "south"), List.of("east", "west"), List.of("men", "women"),
      List.of("male", "female"), List.of("send", "receive"), List.of("good", "bad"),
      List.of("better", "worse"), List.of("pros", "cons"), List.of("benefits", "risks"),
      List.of("strong", "weak"), List.of("easy", "hard"), List.of("easy", "difficult"),
      List.of("love", "hate"), List.of("accept", "reject"), List.of("success", "failure"));

  /** Words whose next content word names a direction or a comparison: from X, than X. */
  private static final Set<String> DIRECTIONAL = Set.of("from", "than", "into", "versus", "vs");

  /**
   * Common words that are not entities even when capitalized (at the start of a sentence),
   * and that are not content words for the swapped-roles rule.
   */
  private static final Set<String> COMMON = new HashSet<>(List.of(
      "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "in", "on", "at", "to",
      "for", "from", "by", "with", "about", "as", "into", "than", "is", "are", "was", "were",
      "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "can", "could",
      "should", "would", "will", "shall", "may", "might", "must", "i", "me", "my", "mine",
      "you", "your", "yours", "we", "us", "our", "they", "them", "their", "he", "him", "his",
      "she", "her", "it", "its", "this", "that", "these", "those", "what", "which", "who",
      "whom", "whose", "when", "where", "why", "how", "what's", "how's", "whats", "there",
      "here", "some", "any", "all", "each", "every", "please", "tell", "explain", "describe",
      "give", "list", "show", "write", "summarize", "translate", "compare", "define", "find",
      "make", "create", "help", "recommend", "suggest", "convert", "generate", "set", "let",
      "let's", "hi", "hello", "hey", "thanks", "thank", "yes", "okay", "ok", "also", "just",
      "really", "very", "way", "best", "good", "like", "get", "use", "using", "need",
      "want", "know", "is", "it's", "i'm", "i've", "can't", "don't", "doesn't", "isn't",
      "aren't", "won't", "didn't", "in", "after", "before", "during", "between", "without",
      "do", "should", "whats", "one", "two", "earth", "world", "internet"));

  static {
    String[] units = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen"};
    for (int i = 0; i < units.length; i++) {
      NUMBER_WORDS.put(units[i], Integer.toString(i));
    }
    String[] tens = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
        "ninety"};
    for (int i = 0; i < tens.length; i++) {
      NUMBER_WORDS.put(tens[i], Integer.toString(20 + 10 * i));
    }
    NUMBER_WORDS.put("hundred", "100");
    NUMBER_WORDS.put("thousand", "1000");
    NUMBER_WORDS.put("million", "1000000");
    NUMBER_WORDS.put("billion", "1000000000");
    NUMBER_WORDS.put("dozen", "12");
    NUMBER_WORDS.put("half", "0.5");
    NUMBER_WORDS.put("twice", "2");
    NUMBER_WORDS.put("double", "2");
    NUMBER_WORDS.put("triple", "3");
    String[] ordinals = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
        "eighth", "ninth", "tenth", "eleventh", "twelfth"};
    for (int i = 0; i < ordinals.length; i++) {
      NUMBER_WORDS.put(ordinals[i], Integer.toString(i + 1));
    }
  }

  /** A guard with the rules above. */
  public SemanticGuard() {
  }

  /**
   * Checks whether the answer stored for {@code stored} may answer {@code query}.
   *
   * @param query the new prompt
   * @param stored the prompt of the cached entry
   * @return the verdict, with the first rule that failed
   */
  public Verdict check(String query, String stored) {
    Prompt a = new Prompt(query);
    Prompt b = new Prompt(stored);
    if (!a.numbers.equals(b.numbers)) {
      return Verdict.reject("numbers", "numbers differ: " + a.numbers.keySet() + " vs "
          + b.numbers.keySet());
    }
    if (!a.operators.equals(b.operators)) {
      return Verdict.reject("operators", "operators differ: " + a.operators.keySet() + " vs "
          + b.operators.keySet());
    }
    if (a.negations != b.negations) {
      return Verdict.reject("negation", "one prompt is negated (" + a.negations + " vs "
          + b.negations + " negation words)");
    }
    String prefixed = negatedForm(a, b);
    if (prefixed == null) {
      prefixed = negatedForm(b, a);
    }
    if (prefixed != null) {
      return Verdict.reject("negation", "negated word: " + prefixed);
    }
    for (List<String> pair : OPPOSITES) {
      String x = pair.get(0);
      String y = pair.get(1);
      boolean split = (a.words.contains(x) && b.words.contains(y) && !a.words.contains(y)
          && !b.words.contains(x)) || (a.words.contains(y) && b.words.contains(x)
          && !a.words.contains(x) && !b.words.contains(y));
      if (split) {
        return Verdict.reject("opposites", "opposite words: " + x + " / " + y);
      }
    }
    for (String e : a.entities) {
      if (!b.stems.contains(e)) {
        return Verdict.reject("entities", "'" + e + "' is only in the new prompt");
      }
    }
    for (String e : b.entities) {
      if (!a.stems.contains(e)) {
        return Verdict.reject("entities", "'" + e + "' is only in the stored prompt");
      }
    }
    for (Map.Entry<String, String> d : a.directions.entrySet()) {
      String other = b.directions.get(d.getKey());
      if (other != null && !other.equals(d.getValue())) {
        return Verdict.reject("roles", "'" + d.getKey() + " " + d.getValue() + "' vs '"
            + d.getKey() + " " + other + "'");
      }
    }
    if (a.allSorted().equals(b.allSorted()) && !a.all.equals(b.all)) {
      return Verdict.reject("roles", "the same words in another order");
    }
    return Verdict.OK;
  }

  /** A word of {@code x} that is the negated form of a word of {@code y} absent from x. */
  private static String negatedForm(Prompt x, Prompt y) {
    for (String w : x.words) {
      for (String prefix : NEGATING_PREFIXES) {
        if (w.length() > prefix.length() + 2 && w.startsWith(prefix)) {
          String base = w.substring(prefix.length());
          if (y.words.contains(base) && !x.words.contains(base) && !y.words.contains(w)) {
            return w + " / " + base;
          }
        }
      }
    }
    return null;
  }

  private static String stem(String lower) {
    if (lower.length() > 3 && lower.endsWith("s") && !lower.endsWith("ss")) {
      return lower.substring(0, lower.length() - 1);
    }
    return lower;
  }

  /** The features of one prompt. */
  private static final class Prompt {
    final Map<String, Integer> numbers = new TreeMap<>();
    final Map<String, Integer> operators = new TreeMap<>();
    int negations;
    final Set<String> words = new HashSet<>();
    final Set<String> stems = new HashSet<>();
    final Set<String> entities = new HashSet<>();
    final List<String> all = new ArrayList<>();
    final Map<String, String> directions = new HashMap<>();

    Prompt(String text) {
      Matcher ops = OPERATOR.matcher(text);
      while (ops.find()) {
        String op = ops.group();
        if (op.equals("×")) {
          op = "*";
        } else if (op.equals("÷")) {
          op = "/";
        }
        operators.merge(op, 1, Integer::sum);
      }
      Matcher m = TOKEN.matcher(text);
      boolean sentenceStart = true;
      int end = 0;
      String pendingDirection = null;
      while (m.find()) {
        String between = text.substring(end, m.start());
        if (between.contains(".") || between.contains("?") || between.contains("!")
            || between.contains(":")) {
          sentenceStart = true;
        }
        end = m.end();
        String token = m.group().replace('’', '\'');
        if (token.endsWith("'s") || token.endsWith("'S")) {
          token = token.substring(0, token.length() - 2); // possessive: Australia's
        }
        String lower = token.toLowerCase(Locale.ROOT);
        words.add(lower);
        stems.add(stem(lower));
        all.add(stem(lower));
        Matcher ordinal = ORDINAL.matcher(lower);
        if (DIGITS.matcher(token).matches()) {
          numbers.merge(normalizeNumber(token), 1, Integer::sum);
        } else if (ordinal.matches()) {
          numbers.merge(normalizeNumber(ordinal.group(1)), 1, Integer::sum);
        } else if (NUMBER_WORDS.containsKey(lower)) {
          numbers.merge(NUMBER_WORDS.get(lower), 1, Integer::sum);
        } else if (OPERATOR_WORDS.containsKey(lower)) {
          operators.merge(OPERATOR_WORDS.get(lower), 1, Integer::sum);
        }
        if (NEGATIONS.contains(lower) || lower.endsWith("n't")) {
          negations++;
        }
        if (isEntity(token, lower, sentenceStart)) {
          entities.add(stem(lower));
        }
        if (pendingDirection != null && !COMMON.contains(lower)) {
          directions.putIfAbsent(pendingDirection, stem(lower));
          pendingDirection = null;
        }
        if (DIRECTIONAL.contains(lower)) {
          pendingDirection = lower;
        }
        sentenceStart = false;
      }
    }

    private static boolean isEntity(String token, String lower, boolean sentenceStart) {
      boolean hasLetter = false;
      boolean hasDigit = false;
      int upper = 0;
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        hasLetter |= Character.isLetter(c);
        hasDigit |= Character.isDigit(c);
        upper += Character.isUpperCase(c) ? 1 : 0;
      }
      if (hasLetter && hasDigit) {
        return !ORDINAL.matcher(lower).matches(); // IPv6, S3, 2FA; not 10th
      }
      if (!hasLetter || upper == 0 || lower.equals("i")) {
        return false;
      }
      if (upper >= 2) {
        return true; // an acronym or a camel-cased name: TV, NASA, iPhone's P, JavaScript
      }
      if (COMMON.contains(lower) || NUMBER_WORDS.containsKey(lower)
          || NEGATIONS.contains(lower)) {
        return false;
      }
      // A capital inside a sentence marks a name; at its start, only an uncommon word does.
      return !sentenceStart || !COMMON.contains(lower);
    }

    List<String> allSorted() {
      List<String> sorted = new ArrayList<>(all);
      sorted.sort(null);
      return sorted;
    }
  }

  static String normalizeNumber(String digits) {
    String plain = digits;
    if (plain.matches("\\d{1,3}(,\\d{3})+")) {
      plain = plain.replace(",", "");
    } else {
      plain = plain.replace(',', '.');
    }
    try {
      BigDecimal value = new BigDecimal(plain).stripTrailingZeros();
      return value.signum() == 0 ? "0" : value.toPlainString();
    } catch (NumberFormatException e) {
      return plain;
    }
  }
}
