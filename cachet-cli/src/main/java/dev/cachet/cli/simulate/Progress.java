package dev.cachet.cli.simulate;

/**
 * Told how far a simulation has come. Called on the simulating thread, often (every few
 * thousand accesses): implementations decide themselves how often to show anything.
 */
@FunctionalInterface
public interface Progress {

  /** Ignores every update. */
  Progress NONE = (stage, done, total) -> { };

  /**
   * Reports progress.
   *
   * @param stage what is being simulated now, such as {@code "LRU, size 1000"}
   * @param done accesses replayed so far, over all policies and sizes
   * @param total accesses to replay in all
   */
  void update(String stage, long done, long total);
}
