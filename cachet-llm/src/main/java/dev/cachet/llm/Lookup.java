package dev.cachet.llm;

import java.util.List;

/**
 * The result of looking a request up: whether and how an answer was found.
 *
 * @param outcome hit (exact or semantic), miss, or bypassed by policy
 * @param response the stored answer on a hit, else null
 * @param chunks the text chunks of the stored answer as they were streamed (for replay as a
 *     stream); a single chunk with the whole text when it was not streamed; empty on a miss
 * @param entryId the opaque id of the matched entry, for {@link LlmCache#invalidate(String)};
 *     null on a miss
 * @param matchedPrompt the stored entry's last user message (for a semantic hit, the prompt it
 *     was matched to); on a miss, the nearest prompt that was rejected, if any
 * @param similarity cosine similarity to the matched prompt: 1 for an exact hit; on a miss the
 *     nearest candidate's, or {@code NaN} when there was none
 * @param detail why, for people and logs: the guard rule that rejected a candidate, the policy
 *     that bypassed the cache, ...
 * @param storedAtMillis on a hit, when the answer was stored (epoch milliseconds), for its age;
 *     0 when unknown or not a hit
 */
public record Lookup(Outcome outcome, LlmResponse response, List<String> chunks,
    String entryId, String matchedPrompt, double similarity, String detail,
    long storedAtMillis) {

  /** How a lookup ended. */
  public enum Outcome {
    /** The canonical request matched a stored one exactly. */
    EXACT_HIT,
    /** A stored prompt in the same partition was similar enough and passed the guard. */
    SEMANTIC_HIT,
    /** Nothing suitable is stored. */
    MISS,
    /** The cache was not consulted: a sampled request, or {@link CallOptions#refresh()}. */
    BYPASSED
  }

  /**
   * Copies the chunks.
   *
   * @param outcome see the record component of that name
   * @param response see the record component of that name
   * @param chunks see the record component of that name
   * @param entryId see the record component of that name
   * @param matchedPrompt see the record component of that name
   * @param similarity see the record component of that name
   * @param detail see the record component of that name
   * @param storedAtMillis see the record component of that name
   */
  public Lookup {
    chunks = chunks == null ? List.of() : List.copyOf(chunks);
  }

  /**
   * A lookup whose answer's storage time is unknown ({@link #storedAtMillis()} 0).
   *
   * @param outcome see the record component of that name
   * @param response see the record component of that name
   * @param chunks see the record component of that name
   * @param entryId see the record component of that name
   * @param matchedPrompt see the record component of that name
   * @param similarity see the record component of that name
   * @param detail see the record component of that name
   */
  public Lookup(Outcome outcome, LlmResponse response, List<String> chunks, String entryId,
      String matchedPrompt, double similarity, String detail) {
    this(outcome, response, chunks, entryId, matchedPrompt, similarity, detail, 0);
  }

  /**
   * Whether an answer was found.
   *
   * @return true for an exact or semantic hit
   */
  public boolean isHit() {
    return outcome == Outcome.EXACT_HIT || outcome == Outcome.SEMANTIC_HIT;
  }

  static Lookup miss(String matchedPrompt, double similarity, String detail) {
    return new Lookup(Outcome.MISS, null, List.of(), null, matchedPrompt, similarity, detail);
  }

  static Lookup bypassed(String detail) {
    return new Lookup(Outcome.BYPASSED, null, List.of(), null, null, Double.NaN, detail);
  }
}
