package dev.cachet.cli.simulate.candidates;

/** Creates a fresh {@link CandidateCache} for one replay. */
@FunctionalInterface
public interface CandidateFactory {

  /**
   * A new, empty cache.
   *
   * @param capacity the most keys it may hold, positive
   * @param seed salts whatever the model randomizes or hashes; equal seeds give equal replays
   */
  CandidateCache create(int capacity, long seed);
}
