package dev.cachet.cli.simulate.candidates;

/** Replays key sequences through a model in tests. */
final class Replay {
  private Replay() {
  }

  /** The hits of {@code cache} on {@code keys}, checking its size bound after every access. */
  static int hits(CandidateCache cache, int capacity, long... keys) {
    int hits = 0;
    for (long k : keys) {
      if (cache.access(k)) {
        hits++;
      }
      if (cache.size() > capacity) {
        throw new AssertionError(cache.size() + " keys held, capacity " + capacity);
      }
    }
    return hits;
  }

  /** Whether each key hits, in order, as a string of 'h' and '.', for readable expectations. */
  static String pattern(CandidateCache cache, long... keys) {
    StringBuilder out = new StringBuilder();
    for (long k : keys) {
      out.append(cache.access(k) ? 'h' : '.');
    }
    return out.toString();
  }
}
