package dev.cachet.cli.simulate;

import dev.cachet.Policy;

/**
 * The policies the simulator can replay: Cachet's four memory policies, plus Belady's optimal
 * policy as the upper bound no real cache can beat.
 */
public enum SimulatedPolicy {
  /** Cachet's least-recently-used store. */
  LRU(Policy.LRU, "least recently used"),
  /** Cachet's least-frequently-used store. */
  LFU(Policy.LFU, "least frequently used"),
  /** Cachet's first-in, first-out store. */
  FIFO(Policy.FIFO, "first in, first out"),
  /** Cachet's adaptive store (Caffeine's W-TinyLFU). */
  ADAPTIVE(Policy.ADAPTIVE, "W-TinyLFU, via Caffeine"),
  /**
   * Belady's optimal policy, which knows the future: the most hits any cache that stores every
   * missed key can score.
   */
  OPT(null, "Belady's optimal, the upper bound");

  private final Policy storePolicy;
  private final String description;

  SimulatedPolicy(Policy storePolicy, String description) {
    this.storePolicy = storePolicy;
    this.description = description;
  }

  /** The memory-store policy replayed, or null for {@link #OPT}, which the simulator computes. */
  public Policy storePolicy() {
    return storePolicy;
  }

  /** A few words saying what the policy is, for help texts and legends. */
  public String description() {
    return description;
  }
}
