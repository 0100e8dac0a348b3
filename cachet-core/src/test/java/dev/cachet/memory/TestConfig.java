package dev.cachet.memory;

import dev.cachet.EvictionPolicy;
import dev.cachet.Ticker;
import java.time.Duration;

/** A fluent way to write {@link StoreConfig}s in tests; everything unset by default. */
final class TestConfig {
  private final EvictionPolicy policy;
  private long maximumSize = StoreConfig.UNSET;
  private long maximumWeight = StoreConfig.UNSET;
  private StoreConfig.EntryWeigher weigher;
  private long expireAfterWrite = StoreConfig.UNSET;
  private long expireAfterAccess = StoreConfig.UNSET;
  private StoreConfig.EntryExpiry entryExpiry;
  private Ticker ticker = System::nanoTime;
  private MemoryStore.RemovalListener listener = (k, v, c) -> { };

  private TestConfig(EvictionPolicy policy) {
    this.policy = policy;
  }

  static TestConfig of(EvictionPolicy policy) {
    return new TestConfig(policy);
  }

  TestConfig maximumSize(long n) {
    maximumSize = n;
    return this;
  }

  TestConfig maximumWeight(long n, StoreConfig.EntryWeigher w) {
    maximumWeight = n;
    weigher = w;
    return this;
  }

  TestConfig expireAfterWrite(Duration d) {
    expireAfterWrite = d.toNanos();
    return this;
  }

  TestConfig expireAfterAccess(Duration d) {
    expireAfterAccess = d.toNanos();
    return this;
  }

  TestConfig entryExpiry(StoreConfig.EntryExpiry e) {
    entryExpiry = e;
    return this;
  }

  TestConfig ticker(Ticker t) {
    ticker = t;
    return this;
  }

  TestConfig listener(MemoryStore.RemovalListener l) {
    listener = l;
    return this;
  }

  StoreConfig build() {
    return new StoreConfig(policy, maximumSize, maximumWeight, weigher, expireAfterWrite,
        expireAfterAccess, entryExpiry, ticker, listener);
  }

  /** The store for this config, created the way the library does. */
  MemoryStore create() {
    return MemoryStores.create(build());
  }
}
