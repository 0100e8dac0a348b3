package dev.cachet.cli.simulate;

import dev.cachet.cli.simulate.candidates.CandidateCache;
import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Replays a trace through each policy at each size and counts the hits. Every replay is
 * single-threaded on a fresh store, so results are reproducible for the exact policies (LRU,
 * LFU, FIFO, OPT); the adaptive policy's admission is randomized, so its ratio moves by a
 * fraction of a point between runs.
 *
 * <p>Each access is a {@code get}; a miss is followed by a {@code put} of the key, which is how a
 * cache in front of a slow source behaves. Maintenance runs after every access (synchronous
 * maintenance), so the policy sees each access in order.
 *
 * <p>Simulator-only models ({@link SimulatedPolicy#isModel()}) are replayed directly, each with
 * {@link SimulatedPolicy#SEED}, so their results are reproducible too.
 */
public final class Simulator {
  private final Trace trace;
  private final Progress progress;
  private final long total;
  private long done;

  private Simulator(Trace trace, Progress progress, long total) {
    this.trace = trace;
    this.progress = progress;
    this.total = total;
  }

  /**
   * Replays {@code trace} through every policy at every size. Duplicate policies or sizes are
   * simulated once.
   *
   * @param progress told how far the simulation has come
   * @throws IllegalArgumentException when a list is empty or a size is not positive
   */
  public static SimulationResult run(Trace trace, List<SimulatedPolicy> policies,
      List<Integer> sizes, Progress progress) {
    List<SimulatedPolicy> ps = List.copyOf(new LinkedHashSet<>(policies));
    List<Integer> ss = List.copyOf(new LinkedHashSet<>(sizes));
    if (ps.isEmpty() || ss.isEmpty()) {
      throw new IllegalArgumentException("simulate needs at least one policy and one size");
    }
    for (int size : ss) {
      if (size <= 0) {
        throw new IllegalArgumentException("cache sizes must be positive, got " + size);
      }
    }
    Simulator sim = new Simulator(trace, progress, (long) trace.accesses() * ps.size() * ss.size());
    Map<SimulatedPolicy, long[]> hits = new EnumMap<>(SimulatedPolicy.class);
    Opt opt = null;
    for (SimulatedPolicy policy : ps) {
      long[] row = new long[ss.size()];
      for (int c = 0; c < ss.size(); c++) {
        int size = ss.get(c);
        String stage = policy + ", size " + size;
        progress.update(stage, sim.done, sim.total);
        if (policy == SimulatedPolicy.OPT) {
          if (opt == null) {
            // The next-use table is per trace, not per size: build it once.
            opt = new Opt(trace);
          }
          row[c] = opt.hits(size, step -> sim.advance(stage, step));
        } else if (policy.isModel()) {
          row[c] = sim.replayModel(policy.newModel(size, SimulatedPolicy.SEED), stage);
        } else {
          row[c] = sim.replay(policy, size, stage);
        }
      }
      hits.put(policy, row);
    }
    progress.update("done", sim.total, sim.total);
    return new SimulationResult(trace.name(), trace.accesses(), trace.distinctKeys(), ps, ss,
        hits);
  }

  /**
   * The hits of one policy at one size, without progress reporting.
   *
   * @throws IllegalArgumentException when {@code size} is not positive
   */
  public static long hits(Trace trace, SimulatedPolicy policy, int size) {
    return run(trace, List.of(policy), List.of(size), Progress.NONE).hits(policy, size);
  }

  private void advance(String stage, int accesses) {
    done += accesses;
    progress.update(stage, done, total);
  }

  private long replayModel(CandidateCache model, String stage) {
    long hits = 0;
    int sinceTick = 0;
    for (long k : trace.rawKeys()) {
      if (model.access(k)) {
        hits++;
      }
      if (++sinceTick == Opt.TICK) {
        advance(stage, sinceTick);
        sinceTick = 0;
      }
    }
    advance(stage, sinceTick);
    return hits;
  }

  private long replay(SimulatedPolicy policy, int size, String stage) {
    MemoryStore store = MemoryStores.create(StoreConfig.ofSize(policy.storePolicy(), size));
    long[] keys = trace.rawKeys();
    long hits = 0;
    int sinceTick = 0;
    for (long k : keys) {
      Long key = k;
      if (store.get(key) != null) {
        hits++;
      } else {
        store.put(key, key);
      }
      // Stores buffer reads and apply them to the policy later, in batches; that is right for a
      // busy application but would measure the batching, not the policy. Draining after every
      // access replays the textbook policy, and is how the reference figures were measured.
      store.cleanUp();
      if (++sinceTick == Opt.TICK) {
        advance(stage, sinceTick);
        sinceTick = 0;
      }
    }
    advance(stage, sinceTick);
    return hits;
  }
}
