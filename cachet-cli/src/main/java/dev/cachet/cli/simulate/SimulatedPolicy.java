package dev.cachet.cli.simulate;

import dev.cachet.EvictionPolicy;
import dev.cachet.cli.simulate.candidates.ArcCache;
import dev.cachet.cli.simulate.candidates.CandidateCache;
import dev.cachet.cli.simulate.candidates.CandidateFactory;
import dev.cachet.cli.simulate.candidates.LirsCache;
import dev.cachet.cli.simulate.candidates.PolicySwitchingCache;
import dev.cachet.cli.simulate.candidates.S3FifoCache;
import dev.cachet.cli.simulate.candidates.ShadowTunedCache;
import dev.cachet.cli.simulate.candidates.SieveCache;
import dev.cachet.cli.simulate.candidates.WindowSetting;
import dev.cachet.cli.simulate.candidates.WindowTinyLfuCache;
import java.util.List;

/**
 * The policies the simulator can replay: Cachet's four memory policies, Belady's optimal policy
 * as the upper bound no real cache can beat, and candidate designs that exist only as
 * single-threaded models (package {@code dev.cachet.cli.simulate.candidates}), kept here by name
 * so that any comparison of them can be rerun.
 */
public enum SimulatedPolicy {
  /** Cachet's least-recently-used store. */
  LRU(EvictionPolicy.LRU, "least recently used"),
  /** Cachet's least-frequently-used store. */
  LFU(EvictionPolicy.LFU, "least frequently used"),
  /** Cachet's first-in, first-out store. */
  FIFO(EvictionPolicy.FIFO, "first in, first out"),
  /** Cachet's adaptive store (Caffeine's W-TinyLFU). */
  ADAPTIVE(EvictionPolicy.ADAPTIVE, "W-TinyLFU, via Caffeine"),
  /**
   * Belady's optimal policy, which knows the future: the most hits any cache that stores every
   * missed key can score.
   */
  OPT(null, "Belady's optimal, the upper bound"),
  /**
   * Cachet's experimental store: W-TinyLFU whose setting sampled shadow caches choose (the
   * {@link #SHADOW} model as a thread-safe store).
   */
  SHADOW_TUNED(EvictionPolicy.SHADOW_TUNED, "W-TinyLFU tuned by sampled shadows (store)"),
  /** Model: SIEVE, a FIFO queue with a visited bit and a roving hand (NSDI 2024). */
  SIEVE("SIEVE (model)", (size, seed) -> new SieveCache(size)),
  /** Model: S3-FIFO, small, main and ghost FIFO queues (SOSP 2023). */
  S3FIFO("S3-FIFO (model)", (size, seed) -> new S3FifoCache(size)),
  /** Model: ARC, adaptive replacement cache (FAST 2003). */
  ARC("ARC (model)", (size, seed) -> new ArcCache(size)),
  /** Model: LIRS, low inter-reference recency set (SIGMETRICS 2002). */
  LIRS("LIRS (model)", (size, seed) -> new LirsCache(size)),
  /** Model: W-TinyLFU with a fixed 1% window, Caffeine 1.x's design. */
  WTINYLFU("W-TinyLFU, 1% window (model)",
      (size, seed) -> new WindowTinyLfuCache(size, 0.01, false, seed)),
  /** Model: W-TinyLFU whose window is hill-climbed, as Caffeine 2.x and later do. */
  WTINYLFU_HC("W-TinyLFU, hill-climbed window (model)",
      (size, seed) -> new WindowTinyLfuCache(size, 0.01, true, seed)),
  /**
   * Model, a first try kept for comparison: the window share (1%, 10%, 30%, 60% or 100%, which
   * is LRU) picked by sampled shadow caches; decisions every 10 shadow capacities, halving the
   * past, no margin. It flaps between shares and loses on zigzag and loop.
   */
  SHADOW_WINDOWS("W-TinyLFU, window share picked by five sampled shadows (model)",
      (size, seed) -> new ShadowTunedCache(size, List.of(new WindowSetting(0.01, false),
          new WindowSetting(0.1, false), new WindowSetting(0.3, false),
          new WindowSetting(0.6, false), new WindowSetting(1.0, false)),
          1.0 / 16, 64, 10, 0.5, 0, seed)),
  /**
   * Model, Cachet's candidate: W-TinyLFU with a 1% window, with or without Caffeine's random
   * admission, or LRU (a 100% window), as three sampled shadow caches on 1/16 of the keys say.
   */
  SHADOW("W-TinyLFU or LRU, picked by sampled shadows (model)",
      (size, seed) -> new ShadowTunedCache(size, ShadowTunedCache.SETTINGS, 1.0 / 16, 512, 1,
          0.95, 0.025, seed)),
  /**
   * Model, an experiment: the live cache runs W-TinyLFU (1% window), LIRS or LRU as a whole, and
   * switches to another (handing over its resident keys) when sampled shadows of the three say
   * so.
   */
  SHADOW_SWITCH("W-TinyLFU, LIRS or LRU, switched by sampled shadows (model)",
      (size, seed) -> new PolicySwitchingCache(size, List.of(
          (c, s) -> new WindowTinyLfuCache(c, 0.01, false, s),
          (c, s) -> new LirsCache(c),
          (c, s) -> new WindowTinyLfuCache(c, 1.0, false, s)),
          1.0 / 16, 512, 1, 0.9, 0.02, seed));

  /** The seed every model replay uses, so that a table can be reproduced exactly. */
  public static final long SEED = 0x5EEDL;

  private final EvictionPolicy storePolicy;
  private final String description;
  private final CandidateFactory model;

  SimulatedPolicy(EvictionPolicy storePolicy, String description) {
    this.storePolicy = storePolicy;
    this.description = description;
    this.model = null;
  }

  SimulatedPolicy(String description, CandidateFactory model) {
    this.storePolicy = null;
    this.description = description;
    this.model = model;
  }

  /**
   * The memory-store policy replayed, or null for {@link #OPT}, which the simulator computes,
   * and for the models, which have no store.
   */
  public EvictionPolicy storePolicy() {
    return storePolicy;
  }

  /** Whether this is a simulator-only model rather than a Cachet store or OPT. */
  public boolean isModel() {
    return model != null;
  }

  /**
   * A fresh model of this policy.
   *
   * @throws IllegalStateException when this policy is not a model (see {@link #isModel()})
   */
  public CandidateCache newModel(int size, long seed) {
    if (model == null) {
      throw new IllegalStateException(this + " is not a simulator model");
    }
    return model.create(size, seed);
  }

  /** A few words saying what the policy is, for help texts and legends. */
  public String description() {
    return description;
  }
}
