package dev.cachet.bench;

import dev.cachet.codec.EntryFrame;
import dev.cachet.disk.DiskStore;
import dev.cachet.disk.DiskStoreOptions;
import dev.cachet.disk.Durability;
import dev.cachet.disk.EvictionMode;
import java.nio.file.Path;
import java.util.List;

/**
 * Cachet's disk tier, {@link DiskStore}, as a contender: one namespace, the key string as the
 * digest, values wrapped in the {@link EntryFrame} the memo layer would write (so a stored
 * entry is the value plus the frame's header, {@link #frameBytes}).
 */
final class DiskMixedCachet implements DiskMixedContender {
  /** Default options: least-recently-stored eviction, no size limit, 20 ms write-behind. */
  static final String DEFAULT = "cachet-default";
  /** {@link EvictionMode#LRU} with a limit the run never reaches (10 GB). */
  static final String LRU = "cachet-lru";
  /**
   * Default options but {@link Durability#POWER_LOSS}: what surviving a power loss costs (a
   * disk sync per group of sets).
   */
  static final String POWER_LOSS = "cachet-power-loss";
  /** A realistic namespace: name, version, code fingerprint and type, as memoize builds it. */
  static final String NAMESPACE = "bench:1:mixed:bytes";
  private static final long LRU_MAX_BYTES = 10L << 30;

  private final DiskStore store;
  /**
   * One frame per value variant, built at open: encoding a frame per set would measure the
   * codec, which the memo layer runs above the tier, not the tier.
   */
  private final byte[][] frames;

  private DiskMixedCachet(DiskStore store, byte[][] values) {
    this.store = store;
    this.frames = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      frames[i] = frame(values[i]);
    }
  }

  /**
   * Opens a store.
   *
   * @param name {@link #DEFAULT}, {@link #LRU} or {@link #POWER_LOSS}
   * @param dir the store's directory
   * @param values the values sets write, by variant
   * @return the contender
   */
  static DiskMixedCachet open(String name, Path dir, byte[][] values) {
    return new DiskMixedCachet(DiskStore.open(dir, options(name)), values);
  }

  static DiskStoreOptions options(String name) {
    if (POWER_LOSS.equals(name)) {
      return DiskStoreOptions.builder().durability(Durability.POWER_LOSS).build();
    }
    if (LRU.equals(name)) {
      return DiskStoreOptions.builder().eviction(EvictionMode.LRU).maximumBytes(LRU_MAX_BYTES)
          .build();
    }
    return DiskStoreOptions.defaults();
  }

  static String describe(String name) {
    if (POWER_LOSS.equals(name)) {
      return "Cachet `DiskStore`, default options but `durability(POWER_LOSS)`: each set "
          + "returns once its journal record is synced to the disk (a sync per group of sets)";
    }
    return LRU.equals(name)
        ? "Cachet `DiskStore`, `EvictionMode.LRU`, `maximumBytes` 10 GB (never reached)"
        : "Cachet `DiskStore`, default options (least-recently-stored, no limit)";
  }

  /**
   * The frame around a value.
   *
   * @param value the payload
   * @return the bytes the store keeps
   */
  static byte[] frame(byte[] value) {
    return new EntryFrame("bytes", "byte[]", 1L, 0L, List.of(), value).encode();
  }

  /**
   * How many bytes the store keeps for a value of {@code valueBytes}.
   *
   * @param valueBytes the payload length
   * @return the frame length
   */
  static int frameBytes(int valueBytes) {
    return frame(new byte[valueBytes]).length;
  }

  @Override
  public boolean get(String key) {
    return store.get(NAMESPACE, key) != null;
  }

  @Override
  public void set(String key, int variant) {
    store.put(NAMESPACE, key, frames[variant], 0, List.of());
  }

  /** Writes journaled puts and buffered reads to the database. */
  @Override
  public void settle() {
    store.flush();
  }

  @Override
  public long failures() {
    return store.stats().failures();
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public boolean isClosed() {
    try {
      store.get(NAMESPACE, "closed?");
      return false;
    } catch (IllegalStateException closed) {
      return true;
    }
  }
}
