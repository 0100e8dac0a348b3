package dev.cachet.cli.simulate;

import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.LongAdder;

/**
 * What concurrency costs the hit ratio on the reference traces: each trace and size of
 * {@link PolicyComparison#SIZES} replayed through a store by one thread, then by two threads
 * sharing it (thread {@code t} takes the accesses at positions {@code t}, {@code t + 2}, ...),
 * with the store's own read buffering and maintenance (no drain after each access, unlike the
 * {@link Simulator}). Two threads change the order of accesses a little by themselves, so
 * SHADOW_TUNED's change (where contended readers sample their reads) is read against
 * ADAPTIVE's (Caffeine, which drops reads when its buffer is full).
 *
 * <p>A main, run from the repository root:
 * {@code java -cp <cachet-cli test classes>:<cachet-cli jar> dev.cachet.cli.simulate.ConcurrentReplay}.
 * Each cell is the mean of {@value #ROUNDS} rounds.
 */
public final class ConcurrentReplay {
  private static final int ROUNDS = 3;

  private ConcurrentReplay() {
  }

  /**
   * Prints a Markdown table: per trace and size, each policy's hit ratio with one and two
   * threads.
   *
   * @param args optionally the traces folder (default {@code traces})
   * @throws Exception when a trace cannot be read
   */
  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args.length > 0 ? args[0] : "traces");
    List<SimulatedPolicy> policies = List.of(SimulatedPolicy.ADAPTIVE,
        SimulatedPolicy.SHADOW_TUNED);
    System.out.println("| trace | size | ADAPTIVE 1t | ADAPTIVE 2t | change | SHADOW_TUNED 1t"
        + " | SHADOW_TUNED 2t | change |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    double[] sumChange = new double[policies.size()];
    double[] worst = new double[policies.size()];
    int cells = 0;
    for (Map.Entry<String, List<Integer>> e : PolicyComparison.SIZES.entrySet()) {
      Trace trace = TraceReader.read(folder.resolve(e.getKey() + ".trace.gz"));
      long[] keys = trace.rawKeys();
      for (int size : e.getValue()) {
        StringBuilder row = new StringBuilder("| " + e.getKey() + " | " + size);
        for (int p = 0; p < policies.size(); p++) {
          double one = 0;
          double two = 0;
          for (int round = 0; round < ROUNDS; round++) {
            one += replay(policies.get(p), size, keys, 1) / ROUNDS;
            two += replay(policies.get(p), size, keys, 2) / ROUNDS;
          }
          double change = 100 * (two - one);
          sumChange[p] += change;
          worst[p] = Math.min(worst[p], change);
          row.append(String.format(Locale.ROOT, " | %.2f | %.2f | %+.2f", 100 * one, 100 * two,
              change));
        }
        cells++;
        System.out.println(row.append(" |"));
      }
    }
    for (int p = 0; p < policies.size(); p++) {
      System.out.printf(Locale.ROOT, "%s: mean change %+.2f points, worst %+.2f, over %d"
          + " cells%n", policies.get(p), sumChange[p] / cells, worst[p], cells);
    }
  }

  /** The hit ratio of {@code threads} threads replaying the trace through one store. */
  static double replay(SimulatedPolicy policy, int size, long[] keys, int threads)
      throws Exception {
    MemoryStore store = MemoryStores.create(StoreConfig.ofSize(policy.storePolicy(), size));
    LongAdder hits = new LongAdder();
    CyclicBarrier start = new CyclicBarrier(threads);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int first = t;
      workers[t] = new Thread(() -> {
        try {
          start.await();
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
        long local = 0;
        for (int i = first; i < keys.length; i += threads) {
          Long key = keys[i];
          if (store.get(key) != null) {
            local++;
          } else {
            store.put(key, key);
          }
        }
        hits.add(local);
      });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    return hits.sum() / (double) keys.length;
  }
}
