package dev.cachet.bench;

import java.nio.file.Path;
import org.ehcache.Cache;
import org.ehcache.PersistentCacheManager;
import org.ehcache.Status;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;

/**
 * Ehcache 3 with a persistent disk tier, configured as its documentation shows a persistent
 * cache: {@code CacheManagerBuilder.persistence(dir)}, a small heap tier over a large
 * persistent disk tier, {@code String} keys and {@code byte[]} values (both with Ehcache's
 * built-in serializers).
 *
 * <p>The heap tier is sized in entries, 1% of the keys: Ehcache requires a heap tier above
 * the disk tier, and a user would give it some room. Under Zipf(0.99) reads that 1% holds the
 * hottest keys, so a large share of Ehcache's gets never reach its disk tier, whereas Cachet's
 * DiskStore and diskcache are measured without a memory tier of their own (Cachet's would sit
 * above the DiskStore, in {@code Cachet.builder()}). Sizing in entries, not bytes, also keeps
 * Ehcache's object-graph sizing (reflection into JDK internals, which Java 17 restricts) out
 * of the way.
 *
 * <p>Single process only: the manager locks its persistence directory, and a second process
 * opening it fails.
 */
final class DiskMixedEhcache implements DiskMixedContender {
  static final String NAME = "ehcache";
  static final String CACHE = "mixed";
  /** Far more than 1M x ~100 bytes with Ehcache's per-entry overhead. */
  static final long DISK_GB = 4;

  private final PersistentCacheManager manager;
  private final Cache<String, byte[]> cache;
  private final byte[][] values;

  private DiskMixedEhcache(PersistentCacheManager manager, byte[][] values) {
    this.manager = manager;
    this.cache = manager.getCache(CACHE, String.class, byte[].class);
    this.values = values;
  }

  /**
   * Opens (creating) the cache manager and its one cache.
   *
   * @param dir the persistence directory
   * @param keyCount how many keys the run uses; the heap tier holds 1% of them
   * @param values the values sets write, by variant
   * @return the contender
   */
  static DiskMixedEhcache open(Path dir, int keyCount, byte[][] values) {
    PersistentCacheManager manager = CacheManagerBuilder.newCacheManagerBuilder()
        .with(CacheManagerBuilder.persistence(dir.toFile()))
        .withCache(CACHE, CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class,
            byte[].class, ResourcePoolsBuilder.newResourcePoolsBuilder()
                .heap(heapEntries(keyCount), EntryUnit.ENTRIES)
                .disk(DISK_GB, MemoryUnit.GB, true)))
        .build(true);
    return new DiskMixedEhcache(manager, values);
  }

  static long heapEntries(int keyCount) {
    return Math.max(100, keyCount / 100);
  }

  static String describe(int keyCount) {
    return "Ehcache " + DiskMixedVersions.ehcache() + ", `persistence(dir)`, heap "
        + heapEntries(keyCount) + " entries (1% of keys) over `disk(" + DISK_GB
        + ", GB, persistent=true)`, String to byte[]";
  }

  @Override
  public boolean get(String key) {
    return cache.get(key) != null;
  }

  @Override
  public void set(String key, int variant) {
    cache.put(key, values[variant]);
  }

  @Override
  public long failures() {
    return 0; // Ehcache throws (or logs through its resilience strategy); nothing to count
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public boolean isClosed() {
    return manager.getStatus() == Status.UNINITIALIZED;
  }
}
