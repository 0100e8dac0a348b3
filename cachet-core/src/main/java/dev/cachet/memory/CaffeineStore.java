package dev.cachet.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cachet.stats.RemovalCause;

/**
 * The {@link dev.cachet.EvictionPolicy#ADAPTIVE} store: Caffeine's W-TinyLFU. Internal.
 *
 * <p>Caffeine keeps its default executor, the JVM-wide common pool, for draining its read
 * buffers and evicting, and has no scheduler: no cache owns a thread. Running that maintenance
 * on the reading threads instead ({@code executor(Runnable::run)}) measured 2.5 times slower on
 * hits at two threads (cachet-bench, HitPathTwoThreads). Removals are still reported
 * synchronously: evictions from inside Caffeine's maintenance ({@code evictionListener}), and
 * explicit removals and replacements by this class, on the caller's thread.
 *
 * <p>With per-entry expiry, values are wrapped with their write deadline, because Caffeine's
 * variable expiry replaces its fixed expire-after-write and expire-after-access settings and
 * must reproduce both.
 */
final class CaffeineStore implements MemoryStore {
  private final StoreConfig config;
  private final Cache<Object, Object> cache;
  private final boolean variable;
  private final MemoryStore.RemovalListener listener;

  CaffeineStore(StoreConfig c) {
    this.config = c;
    this.variable = c.entryExpiry() != null;
    Caffeine<Object, Object> b = Caffeine.newBuilder().ticker(c.ticker()::read);
    if (c.maximumSize() != StoreConfig.UNSET) {
      b.maximumSize(c.maximumSize());
    }
    if (c.maximumWeight() != StoreConfig.UNSET) {
      StoreConfig.EntryWeigher weigher = c.weigher();
      b.maximumWeight(c.maximumWeight())
          .weigher((k, v) -> (int) Math.min(Integer.MAX_VALUE, weigher.weigh(k, unwrap(v))));
    }
    if (variable) {
      b.expireAfter(new DeadlineExpiry(c.expireAfterAccessNanos()));
    } else {
      if (c.expireAfterWriteNanos() != StoreConfig.UNSET) {
        b.expireAfterWrite(java.time.Duration.ofNanos(c.expireAfterWriteNanos()));
      }
      if (c.expireAfterAccessNanos() != StoreConfig.UNSET) {
        b.expireAfterAccess(java.time.Duration.ofNanos(c.expireAfterAccessNanos()));
      }
    }
    MemoryStore.RemovalListener listener = c.removalListener();
    this.listener = listener;
    b.evictionListener((Object k, Object v, com.github.benmanes.caffeine.cache.RemovalCause cause) ->
        listener.onRemoval(k, unwrap(v), map(cause)));
    this.cache = b.build();
  }

  private static RemovalCause map(com.github.benmanes.caffeine.cache.RemovalCause cause) {
    return switch (cause) {
      case EXPLICIT -> RemovalCause.EXPLICIT;
      case REPLACED -> RemovalCause.REPLACED;
      case EXPIRED -> RemovalCause.EXPIRED;
      case SIZE, COLLECTED -> RemovalCause.SIZE;
    };
  }

  private static Object unwrap(Object stored) {
    return stored instanceof Timed t ? t.value : stored;
  }

  @Override
  public Object get(Object key) {
    Object v = cache.getIfPresent(key);
    return variable ? unwrap(v) : v;
  }

  @Override
  public Object peek(Object key) {
    return unwrap(cache.policy().getIfPresentQuietly(key));
  }

  @Override
  public void put(Object key, Object value) {
    if (key == null || value == null) {
      throw new NullPointerException("memory stores hold no null keys or values");
    }
    Object old = cache.asMap().put(key, variable ? timed(key, value) : value);
    if (old != null) {
      listener.onRemoval(key, unwrap(old), RemovalCause.REPLACED);
    }
  }

  private Timed timed(Object key, Object value) {
    long lifetime = config.expireAfterWriteNanos();
    long own = config.entryExpiry().expireAfterWriteNanos(key, value);
    if (own != StoreConfig.UNSET && (lifetime == StoreConfig.UNSET || own < lifetime)) {
      lifetime = own;
    }
    long now = config.ticker().read();
    long deadline = lifetime == StoreConfig.UNSET ? Long.MAX_VALUE : saturatedAdd(now, lifetime);
    return new Timed(value, deadline);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  @Override
  public Object remove(Object key) {
    Object old = unwrap(cache.asMap().remove(key));
    if (old != null) {
      listener.onRemoval(key, old, RemovalCause.EXPLICIT);
    }
    return old;
  }

  @Override
  public void clear() {
    for (Object key : cache.asMap().keySet()) {
      remove(key);
    }
  }

  @Override
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public long weightedSize() {
    if (config.maximumWeight() == StoreConfig.UNSET) {
      return cache.estimatedSize();
    }
    return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  @Override
  public StoreConfig config() {
    return config;
  }

  @Override
  public void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public java.util.Set<Object> keys() {
    return java.util.Collections.unmodifiableSet(cache.asMap().keySet());
  }

  /** A value with the instant (ticker nanos) its write lifetime ends. */
  private record Timed(Object value, long deadline) {
  }

  /** Reproduces expire-after-write (as a deadline in the value) and expire-after-access. */
  private static final class DeadlineExpiry implements Expiry<Object, Object> {
    private final long idleNanos;

    DeadlineExpiry(long idleNanos) {
      this.idleNanos = idleNanos;
    }

    private long remaining(Object value, long now) {
      long left = ((Timed) value).deadline == Long.MAX_VALUE ? Long.MAX_VALUE
          : Math.max(0, ((Timed) value).deadline - now);
      return idleNanos == StoreConfig.UNSET ? left : Math.min(left, idleNanos);
    }

    @Override
    public long expireAfterCreate(Object key, Object value, long now) {
      return remaining(value, now);
    }

    @Override
    public long expireAfterUpdate(Object key, Object value, long now, long current) {
      return remaining(value, now);
    }

    @Override
    public long expireAfterRead(Object key, Object value, long now, long current) {
      return idleNanos == StoreConfig.UNSET ? current : remaining(value, now);
    }
  }
}
