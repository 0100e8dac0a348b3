package dev.cachet.memo;

import dev.cachet.EvictionPolicy;
import dev.cachet.Expiry;
import dev.cachet.Ticker;
import dev.cachet.Weigher;
import dev.cachet.stats.CacheListener;
import dev.cachet.tier.TierConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The settings of one cache, immutable. Internal: users set them through
 * {@code Cachet.Builder} and {@code CacheSpec}, which copy a config with one change each.
 */
public final class CacheConfig {

  /** The entry bound of a cache built without any bound, so nothing grows without limit by accident. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  final EvictionPolicy policy;
  final long maximumSize;
  final long maximumWeight;
  final Weigher weigher;
  final boolean unbounded;
  final Duration expireAfterWrite;
  final Duration expireAfterAccess;
  final Expiry expiry;
  final boolean typed;
  final Ticker ticker;
  final Clock clock;
  final boolean cacheNulls;
  final Predicate<Object> cacheIf;
  final Duration cacheExceptions;
  final List<CacheListener> listeners;
  final String version;
  final Set<String> ignoredNames;
  final Set<Integer> ignoredIndexes;
  final Function<Object[], Object> keyFunction;
  final List<TierConfig> tiers;
  final boolean verbose;
  final Set<String> tags;
  final Duration fleetWait;
  final Duration staleWhileRevalidate;
  final double earlyRefreshBeta;
  final java.lang.reflect.Type resultType;

  private CacheConfig(Mutable m) {
    this.policy = m.policy;
    this.maximumSize = m.maximumSize;
    this.maximumWeight = m.maximumWeight;
    this.weigher = m.weigher;
    this.unbounded = m.unbounded;
    this.expireAfterWrite = m.expireAfterWrite;
    this.expireAfterAccess = m.expireAfterAccess;
    this.expiry = m.expiry;
    this.typed = m.typed;
    this.ticker = m.ticker;
    this.clock = m.clock;
    this.cacheNulls = m.cacheNulls;
    this.cacheIf = m.cacheIf;
    this.cacheExceptions = m.cacheExceptions;
    this.listeners = List.copyOf(m.listeners);
    this.version = m.version;
    this.ignoredNames = Set.copyOf(m.ignoredNames);
    this.ignoredIndexes = Set.copyOf(m.ignoredIndexes);
    this.keyFunction = m.keyFunction;
    this.tiers = List.copyOf(m.tiers);
    this.verbose = m.verbose;
    this.tags = Set.copyOf(m.tags);
    this.fleetWait = m.fleetWait;
    this.staleWhileRevalidate = m.staleWhileRevalidate;
    this.earlyRefreshBeta = m.earlyRefreshBeta;
    this.resultType = m.resultType;
  }

  /** The defaults: adaptive policy, at most {@value #DEFAULT_MAXIMUM_SIZE} entries, no expiry. */
  public static CacheConfig defaults() {
    return new CacheConfig(new Mutable());
  }

  /** A copy with the changes {@code edit} makes. */
  public CacheConfig with(Consumer<Mutable> edit) {
    Mutable m = new Mutable(this);
    edit.accept(m);
    return new CacheConfig(m);
  }

  /**
   * The settings a function cache inherits from its {@code Cachet}: everything but what only
   * makes sense per function (version, ignored parameters, key function, predicates).
   */
  public CacheConfig inheritable() {
    return with(m -> {
      m.version = "";
      m.ignoredNames.clear();
      m.ignoredIndexes.clear();
      m.keyFunction = null;
      m.cacheIf = null;
      m.cacheExceptions = null;
      m.tags.clear();
      m.resultType = null;
    });
  }

  /** The policy. */
  public EvictionPolicy policy() {
    return policy;
  }

  /** Whether numbers of different Java types stay apart in keys. */
  public boolean typed() {
    return typed;
  }

  /** The tiers below memory as configured, in the order they were added. */
  public List<TierConfig> tiers() {
    return tiers;
  }

  /** The tags every entry of the cache carries. */
  public Set<String> tags() {
    return tags;
  }

  /** The time source. */
  public Ticker ticker() {
    return ticker;
  }

  /** The wall clock that stamps and expires entries in the tiers below memory. */
  public Clock clock() {
    return clock;
  }

  /** The effective entry bound, or -1 when bounded by weight or unbounded. */
  public long effectiveMaximumSize() {
    if (unbounded || maximumWeight >= 0) {
      return -1;
    }
    return maximumSize >= 0 ? maximumSize : DEFAULT_MAXIMUM_SIZE;
  }

  /** The weight bound, or -1. */
  public long maximumWeight() {
    return unbounded ? -1 : maximumWeight;
  }

  /** Whether the cache has no bound at all (only when asked for). */
  public boolean unbounded() {
    return unbounded;
  }

  /** A short description for {@code toString}. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append("policy=").append(policy);
    if (unbounded) {
      s.append(", UNBOUNDED");
    } else if (maximumWeight() >= 0) {
      s.append(", maximumWeight=").append(maximumWeight());
    } else {
      s.append(", maximumSize=").append(effectiveMaximumSize());
    }
    if (expireAfterWrite != null) {
      s.append(", expireAfterWrite=").append(expireAfterWrite);
    }
    if (expireAfterAccess != null) {
      s.append(", expireAfterAccess=").append(expireAfterAccess);
    }
    if (expiry != null) {
      s.append(", expiry=per-entry");
    }
    if (typed) {
      s.append(", typed");
    }
    if (!version.isEmpty()) {
      s.append(", version=").append(version);
    }
    if (!tiers.isEmpty()) {
      s.append(", tiers=").append(tiers);
    }
    if (!tags.isEmpty()) {
      s.append(", tags=").append(tags);
    }
    if (fleetWait != null) {
      s.append(", fleetSingleFlight=").append(fleetWait);
    }
    if (staleWhileRevalidate != null) {
      s.append(", staleWhileRevalidate=").append(staleWhileRevalidate);
    }
    if (earlyRefreshBeta > 0) {
      s.append(", earlyRefresh=").append(earlyRefreshBeta);
    }
    return s.toString();
  }

  /**
   * The mutable twin used only inside {@link #with}; validation happens in the setters of the
   * public builders, which know the user's words for each setting.
   */
  public static final class Mutable {
    /** See {@code Cachet.Builder.policy}. */
    public EvictionPolicy policy = EvictionPolicy.ADAPTIVE;
    /** -1 when not set. */
    public long maximumSize = -1;
    /** -1 when not set. */
    public long maximumWeight = -1;
    /** Set together with {@link #maximumWeight}. */
    public Weigher weigher;
    /** True only when asked for. */
    public boolean unbounded;
    /** Null when not set. */
    public Duration expireAfterWrite;
    /** Null when not set. */
    public Duration expireAfterAccess;
    /** Null when not set. */
    public Expiry expiry;
    /** False: 1, 1L and 1.0 are one key. */
    public boolean typed;
    /** The system ticker by default. */
    public Ticker ticker = Ticker.system();
    /** The system clock in UTC by default. */
    public Clock clock = Clock.systemUTC();
    /** Null results are cached by default. */
    public boolean cacheNulls = true;
    /** Null: every result is cached. */
    public Predicate<Object> cacheIf;
    /** Null: exceptions are not cached. */
    public Duration cacheExceptions;
    /** Listeners in registration order. */
    public final List<CacheListener> listeners = new ArrayList<>();
    /** Empty when not set. */
    public String version = "";
    /** Parameter names left out of keys. */
    public final Set<String> ignoredNames = new LinkedHashSet<>();
    /** Parameter positions left out of keys. */
    public final Set<Integer> ignoredIndexes = new LinkedHashSet<>();
    /** Null: the key is built from the arguments. */
    public Function<Object[], Object> keyFunction;
    /** Tiers below memory, in the order they were added. */
    public final List<TierConfig> tiers = new ArrayList<>();
    /** Whether each hit below memory is logged with its tier. */
    public boolean verbose;
    /** Tags every entry carries. */
    public final Set<String> tags = new LinkedHashSet<>();
    /** Null: single-flight within this process only. */
    public Duration fleetWait;
    /** Null: an expired entry is not served. */
    public Duration staleWhileRevalidate;
    /** 0: no early refresh. */
    public double earlyRefreshBeta;
    /** Null: the type read from the function's code. */
    public java.lang.reflect.Type resultType;

    Mutable() {
    }

    Mutable(CacheConfig c) {
      policy = c.policy;
      maximumSize = c.maximumSize;
      maximumWeight = c.maximumWeight;
      weigher = c.weigher;
      unbounded = c.unbounded;
      expireAfterWrite = c.expireAfterWrite;
      expireAfterAccess = c.expireAfterAccess;
      expiry = c.expiry;
      typed = c.typed;
      ticker = c.ticker;
      clock = c.clock;
      cacheNulls = c.cacheNulls;
      cacheIf = c.cacheIf;
      cacheExceptions = c.cacheExceptions;
      listeners.addAll(c.listeners);
      version = c.version;
      ignoredNames.addAll(c.ignoredNames);
      ignoredIndexes.addAll(c.ignoredIndexes);
      keyFunction = c.keyFunction;
      tiers.addAll(c.tiers);
      verbose = c.verbose;
      tags.addAll(c.tags);
      fleetWait = c.fleetWait;
      staleWhileRevalidate = c.staleWhileRevalidate;
      earlyRefreshBeta = c.earlyRefreshBeta;
      resultType = c.resultType;
    }

    /** Sets an entry bound, replacing any other bound. */
    public void bySize(long n) {
      maximumSize = n;
      maximumWeight = -1;
      weigher = null;
      unbounded = false;
    }

    /** Sets a weight bound, replacing any other bound. */
    public void byWeight(long max, Weigher w) {
      maximumWeight = max;
      weigher = Objects.requireNonNull(w, "weigher");
      maximumSize = -1;
      unbounded = false;
    }

    /** Removes every bound. */
    public void noBound() {
      maximumSize = -1;
      maximumWeight = -1;
      weigher = null;
      unbounded = true;
    }
  }
}
