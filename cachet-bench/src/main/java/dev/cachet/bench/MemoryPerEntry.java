package dev.cachet.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachet.EvictionPolicy;
import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Heap a store costs per entry, over and above its keys and values: each contender is filled
 * with {@code N} entries (bound {@code N}, so nothing is evicted) whose keys and values were
 * allocated beforehand, every key is then read once, and the heap in use after a full collection is compared with that
 * before the store was built. Reported as the median over the repetitions, for N = 100,000
 * and 1,000,000.
 *
 * <p>Run with a fixed heap so that collections are comparable and the JVM's layout is stable:
 * {@code java -Xms2g -Xmx2g -XX:+UseG1GC -cp cachet-bench/target-.../benchmarks.jar
 * dev.cachet.bench.MemoryPerEntry [repetitions]}. The numbers include structures sized by the
 * bound rather than the content (Caffeine's and SHADOW_TUNED's frequency sketches, hash tables
 * rounded to a power of two), which is what an application pays for a full cache.
 */
public final class MemoryPerEntry {
  private static final int[] SIZES = {100_000, 1_000_000};
  /** Holds the store measured while the heap is read after it, so it cannot be collected. */
  private static volatile Object measured;

  private MemoryPerEntry() {
  }

  /** One store under measurement: builds it empty for a bound and puts into it. */
  private interface Contender {
    /** The store, for the given bound, as an opaque holder of its entries. */
    Object build(int bound);

    /** Puts {@code key -> value} into {@code store}. */
    void put(Object store, Long key, Long value);

    /** Reads {@code key} from {@code store}. */
    void get(Object store, Long key);

    /** Runs pending maintenance, so that no write is still buffered when measured. */
    void settle(Object store);
  }

  private record Named(String name, Contender contender) {
  }

  /**
   * Prints the bytes per entry of Caffeine, Cachet's ADAPTIVE, LRU and SHADOW_TUNED stores.
   *
   * @param args optionally the number of repetitions per store and size (default 5)
   */
  public static void main(String[] args) {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<Named> contenders = List.of(
        new Named("caffeine", caffeine()),
        new Named("cachet ADAPTIVE", cachet(EvictionPolicy.ADAPTIVE)),
        new Named("cachet LRU", cachet(EvictionPolicy.LRU)),
        new Named("cachet SHADOW_TUNED", cachet(EvictionPolicy.SHADOW_TUNED)));
    System.out.printf(Locale.ROOT, "%-22s %10s %12s %s%n", "store", "entries", "B/entry",
        "(each repetition)");
    for (int n : SIZES) {
      Long[] keys = boxed(n, i -> (long) i * 31 + 7);
      Long[] values = boxed(n, i -> (long) i);
      for (Named c : contenders) {
        double[] perEntry = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
          perEntry[r] = measure(c.contender(), keys, values);
        }
        double[] sorted = perEntry.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-22s %10d %12.1f %s%n", c.name(), n,
            sorted[repetitions / 2], format(perEntry));
      }
    }
  }

  private static double measure(Contender c, Long[] keys, Long[] values) {
    long before = usedAfterGc();
    Object store = c.build(keys.length);
    for (int i = 0; i < keys.length; i++) {
      c.put(store, keys[i], values[i]);
    }
    // Then every key is read, as in a cache in use: structures that fill from accesses (the
    // SHADOW_TUNED shadows, rebuilt empty while the store grows) are then at their steady size.
    for (int i = 0; i < keys.length; i++) {
      c.get(store, keys[i]);
    }
    c.settle(store);
    measured = store;
    long after = usedAfterGc();
    measured = null;
    return (double) (after - before) / keys.length;
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    // Several collections, so that objects freed by finalization or reference processing in one
    // are gone by the last one.
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static Contender caffeine() {
    return new Contender() {
      @Override
      public Object build(int bound) {
        return Caffeine.newBuilder().maximumSize(bound).executor(Runnable::run).build();
      }

      @Override
      @SuppressWarnings("unchecked")
      public void put(Object store, Long key, Long value) {
        ((Cache<Long, Long>) store).put(key, value);
      }

      @Override
      @SuppressWarnings("unchecked")
      public void get(Object store, Long key) {
        ((Cache<Long, Long>) store).getIfPresent(key);
      }

      @Override
      public void settle(Object store) {
        ((Cache<?, ?>) store).cleanUp();
      }
    };
  }

  private static Contender cachet(EvictionPolicy policy) {
    return new Contender() {
      @Override
      public Object build(int bound) {
        return MemoryStores.create(StoreConfig.ofSize(policy, bound));
      }

      @Override
      public void put(Object store, Long key, Long value) {
        ((MemoryStore) store).put(key, value);
      }

      @Override
      public void get(Object store, Long key) {
        ((MemoryStore) store).get(key);
      }

      @Override
      public void settle(Object store) {
        ((MemoryStore) store).cleanUp();
      }
    };
  }

  private static Long[] boxed(int n, IntFunction<Long> f) {
    Long[] a = new Long[n];
    for (int i = 0; i < n; i++) {
      a[i] = f.apply(i);
    }
    return a;
  }

  private static String format(double[] values) {
    List<String> parts = new ArrayList<>();
    for (double v : values) {
      parts.add(String.format(Locale.ROOT, "%.1f", v));
    }
    return parts.toString();
  }
}
