package dev.cachet.llm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachet.llm.semantic.ErrorBoundedThreshold;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;

/**
 * {@link LlmCache}'s error-bounded mode: one {@link ErrorBoundedThreshold} per semantic
 * partition over the decision's score (the verifier's probability, or the similarity without a
 * verifier), the scores of the hits it served (so that {@code feedback} can label them), and the
 * candidates it turned away while it explores (labelled when the fresh answer is stored, by
 * comparing it with the candidate's).
 *
 * <p>Why exploring is free here: a candidate under the learned threshold is a miss whether or not
 * it is explored; exploring only remembers it until the caller stores the fresh answer.
 */
final class ErrorBounds {
  /** Observations before a threshold may be used; the Wilson bound asks for more anyway. */
  private static final int MIN_OBSERVATIONS = 30;
  /**
   * Recent observations kept per partition, so the threshold follows drifting traffic: on the
   * drifting stream of ErrorBoundTest, 2,000 served 7 to 8 % wrong hits for a 5 % bound (old
   * labels from a quieter neighbourhood outvoted the new ones), 500 kept it at 3 to 5 %, 250 left
   * too few labels to serve much.
   */
  private static final int WINDOW = 500;
  /** Every candidate under the threshold is explored: it costs nothing but a comparison. */
  private static final double EXPLORATION = 1.0;
  /**
   * The share of would-be hits answered fresh instead, to label them: without it nothing
   * above the threshold is labelled after it drops (unless users give feedback), and the bound
   * would not see a neighbourhood turn bad as new prompts with other answers arrive. Each such
   * hit costs one upstream call.
   */
  static final double HIT_EXPLORATION = 0.05;

  /** What a hit scored, in which partition, from which stored prompt. */
  record Scored(String partition, double score, String candidate) {
  }

  /** A candidate turned away, waiting for the fresh answer to the query it was found for. */
  record Exploration(String partition, double score, String tenantDigest, String candidate) {
  }

  private final double maxErrorRate;
  private final BiPredicate<LlmResponse, LlmResponse> sameAnswer;
  private final Cache<String, ErrorBoundedThreshold> bounds;
  private final Cache<String, Scored> served = Caffeine.newBuilder().maximumSize(100_000)
      .expireAfterWrite(Duration.ofDays(1)).executor(Runnable::run).build();
  /**
   * Per stored prompt (partition and id), the highest score at which its answer was labelled
   * wrong: it serves no candidate scoring that or less. The partition's threshold is an average
   * over its prompts; one prompt whose neighbours ask other things keeps failing just above it,
   * and this keeps it from failing at the same score twice. On ErrorBoundTest's drifting stream
   * its effect is within the run-to-run scatter (cachet-llm/README.md): prompts there are
   * rarely a candidate twice at the same score.
   */
  private final Cache<String, Double> wrongAt;
  private final Cache<String, Exploration> explored = Caffeine.newBuilder()
      .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).executor(Runnable::run)
      .build();

  ErrorBounds(double maxErrorRate, BiPredicate<LlmResponse, LlmResponse> sameAnswer,
      int maxPartitions) {
    this.maxErrorRate = maxErrorRate;
    this.sameAnswer = sameAnswer;
    this.bounds = Caffeine.newBuilder().maximumSize(maxPartitions)
        .expireAfterAccess(SemanticSearch.PARTITION_IDLE).executor(Runnable::run).build();
    this.wrongAt = Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterAccess(SemanticSearch.PARTITION_IDLE).executor(Runnable::run).build();
  }

  private ErrorBoundedThreshold bound(String partition) {
    return bounds.get(partition, p -> new ErrorBoundedThreshold(maxErrorRate, MIN_OBSERVATIONS,
        WINDOW, EXPLORATION));
  }

  /** The score a hit in the partition needs now (1.0 until there is evidence). */
  double threshold(String partition) {
    return bound(partition).threshold();
  }

  /**
   * The highest score at which the stored prompt's answer was labelled wrong, or -infinity: a
   * candidate from it needs more than that.
   */
  double wrongAt(String partition, String candidate) {
    Double s = wrongAt.getIfPresent(promptKey(partition, candidate));
    return s == null ? Double.NEGATIVE_INFINITY : s;
  }

  /**
   * Forgets the verdicts on a stored prompt's answer, when the prompt is stored again (a new
   * answer, not the one found wrong) or removed.
   */
  void forgetWrong(String partition, String candidate) {
    wrongAt.invalidate(promptKey(partition, candidate));
  }

  private static String promptKey(String partition, String candidate) {
    return partition + "/" + candidate;
  }

  private void observe(String partition, String candidate, double score, boolean correct) {
    bound(partition).observe(score, correct);
    if (!correct) {
      wrongAt.asMap().merge(promptKey(partition, candidate), score, Math::max);
    }
  }

  /**
   * Whether a candidate at or over the threshold is answered fresh, to be labelled like a
   * near-miss, instead of served.
   */
  boolean exploreHit() {
    return ThreadLocalRandom.current().nextDouble() < HIT_EXPLORATION;
  }

  /** Remembers a served hit's score and stored prompt, for feedback on its entry. */
  void served(String entryId, String partition, double score, String candidate) {
    served.put(entryId, new Scored(partition, score, candidate));
  }

  /**
   * Remembers a candidate turned away under the threshold (when the bound explores it), to be
   * labelled when the fresh answer to the query is stored.
   */
  void turnedAway(String queryKey, String partition, double score, String tenantDigest,
      String candidate) {
    if (bound(partition).explore(score, ThreadLocalRandom.current().nextDouble())) {
      explored(queryKey, partition, score, tenantDigest, candidate);
    }
  }

  /** Remembers a would-be hit answered fresh ({@link #exploreHit()}), to be labelled. */
  void explored(String queryKey, String partition, double score, String tenantDigest,
      String candidate) {
    explored.asMap().putIfAbsent(queryKey, new Exploration(partition, score, tenantDigest,
        candidate));
  }

  /** The exploration waiting for this query's fresh answer, removed; null when none. */
  Exploration takeExploration(String queryKey) {
    return explored.asMap().remove(queryKey);
  }

  /** Labels an explored candidate by comparing its stored answer with the fresh one. */
  void label(Exploration e, LlmResponse candidateAnswer, LlmResponse fresh) {
    observe(e.partition(), e.candidate(), e.score(), sameAnswer.test(candidateAnswer, fresh));
  }

  /**
   * Records a user's verdict on the latest hit this process served from the entry; that hit's
   * score is then forgotten, so one hit counts once however often it is judged.
   *
   * @return false when no unjudged hit from that entry is remembered here
   */
  boolean feedback(String entryId, boolean correct) {
    Scored s = served.asMap().remove(entryId);
    if (s == null) {
      return false;
    }
    observe(s.partition(), s.candidate(), s.score(), correct);
    return true;
  }

  double maxErrorRate() {
    return maxErrorRate;
  }
}
