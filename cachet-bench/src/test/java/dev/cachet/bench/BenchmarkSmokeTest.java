package dev.cachet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cachet.EvictionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Builds every benchmark state (at small sizes) and calls every benchmark method a few times,
 * so that a benchmark broken by a change in cachet-core fails the build instead of the next
 * benchmark run. Nothing is timed here: timings only mean something under JMH.
 */
class BenchmarkSmokeTest {

  @Test
  void diskBenchmarksReadWhatTheyWrote() throws Exception {
    DiskBenchmark.Stores stores = new DiskBenchmark.Stores();
    stores.setUp(); // throws if memoized calls would not reach the disk tier
    DiskBenchmark.Cursor cursor = new DiskBenchmark.Cursor();
    cursor.init(stores, 0);
    DiskBenchmark bench = new DiskTwoThreads();
    try {
      for (int i = 0; i < 50; i++) {
        assertNotNull(bench.get100B(stores, cursor));
        assertNotNull(bench.getLru100B(stores, cursor));
        assertNotNull(bench.get100KB(stores, cursor));
        assertNotNull(bench.floorGet100B(stores, cursor));
        assertNotNull(bench.floorGet100KB(stores, cursor));
        assertNotNull(bench.memoizedDiskHit(stores, cursor));
        bench.put100B(stores, cursor);
        bench.put100KB(stores, cursor);
        bench.floorPut100B(stores, cursor);
        bench.floorPut100KB(stores, cursor);
      }
      assertEquals(0, stores.store.stats().failures());
    } finally {
      cursor.tearDown();
      stores.tearDown();
    }
  }

  @Test
  void thresholdBenchmarkRunsInlineAndWithSideFiles() throws Exception {
    for (String storage : new String[] {"inline", "sideFile"}) {
      DiskThresholdBenchmark bench = new DiskThresholdBenchmark();
      bench.size = 4096;
      bench.storage = storage;
      bench.setUp();
      try {
        for (int i = 0; i < 40; i++) {
          assertNotNull(bench.get());
          bench.put();
        }
      } finally {
        bench.tearDown(); // throws if an operation failed
      }
    }
  }

  @Test
  void hitPathServesEveryContenderFromTheCache() {
    HitPathBenchmark.Caches caches = new HitPathBenchmark.Caches();
    caches.setUp();
    HitPathBenchmark.Cursor cursor = new HitPathBenchmark.Cursor();
    cursor.init(caches, 0, 1);
    HitPathBenchmark bench = new HitPathTwoThreads();
    for (int i = 0; i < 1000; i++) {
      assertNotNull(bench.memoizedAdaptive(caches, cursor));
      assertNotNull(bench.memoizedLru(caches, cursor));
      assertNotNull(bench.memoizedShadowTuned(caches, cursor));
      assertNotNull(bench.storeShadowTuned(caches, cursor));
      assertNotNull(bench.storeAdaptive(caches, cursor));
      assertNotNull(bench.caffeine(caches, cursor));
      assertNotNull(bench.caffeineRecordingStats(caches, cursor));
      assertNotNull(bench.caffeineSameThread(caches, cursor));
      assertNotNull(bench.guava(caches, cursor));
      assertNotNull(bench.concurrentHashMap(caches, cursor));
      assertNotNull(bench.synchronizedLru(caches, cursor));
    }
    // Throws if any memoized call above missed.
    caches.checkOnlyPopulationMisses();
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void storeGetHits(EvictionPolicy policy) {
    StoreGetBenchmark bench = new StoreGetBenchmark();
    bench.policy = policy;
    bench.size = 1000;
    bench.setUp();
    for (int i = 0; i < 5000; i++) {
      assertNotNull(bench.get());
    }
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void storePutStaysWithinItsBound(EvictionPolicy policy) {
    StorePutBenchmark bench = new StorePutBenchmark();
    bench.policy = policy;
    bench.size = 1000;
    bench.setUp();
    for (int i = 0; i < 5000; i++) {
      bench.put();
    }
    bench.store.cleanUp();
    assertEquals(1000, bench.store.size());
  }

  @Test
  void contentionContendersHit() {
    StoreContentionBenchmark.Stores stores = new StoreContentionBenchmark.Stores();
    stores.size = 1000;
    stores.setUp();
    StoreContentionBenchmark.Cursor cursor = new StoreContentionBenchmark.Cursor();
    cursor.init(stores, 1, 2);
    StoreContentionBenchmark bench = new StoreContentionBenchmark();
    for (int i = 0; i < 5000; i++) {
      assertNotNull(bench.lruStore(stores, cursor));
      assertNotNull(bench.synchronizedLru(stores, cursor));
    }
  }

  @Test
  void baselineHits() {
    MemoryBaselineBenchmark bench = new MemoryBaselineBenchmark();
    bench.size = 1000;
    bench.setUp();
    for (int i = 0; i < 5000; i++) {
      assertNotNull(bench.hashMapGet());
    }
  }

  @Test
  void digestsAre32Bytes() {
    KeyDigestBenchmark bench = new KeyDigestBenchmark();
    bench.setUp();
    assertEquals(32, bench.shortString().length);
    assertEquals(32, bench.mixedList().length);
    assertEquals(32, bench.map10().length);
  }

  @Test
  void zipfSequenceStaysInRangeAndIsSkewed() {
    int[] seq = Workloads.zipf(100, 1.0, 1 << 14, Workloads.SEED);
    int[] counts = new int[100];
    for (int i : seq) {
      counts[i]++;
    }
    int max = 0;
    for (int c : counts) {
      max = Math.max(max, c);
    }
    // Under Zipf(1) over 100 keys the top key draws ~19% of accesses; uniform would be 1%.
    assertEquals(true, max > seq.length / 10, "hottest key drew " + max + " of " + seq.length);
  }
}
