package dev.cachet.tier;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Entries stored as {@link EntryFrame}s across the ordered tiers below memory of one
 * {@code Cachet}: the one walker that memoized functions, plain caches with a value type and the
 * LLM cache stand on. Get one from {@code Cachet.tierEngine()}; each engine keeps its own
 * counts, so give each cache its own.
 *
 * <ul>
 *   <li><b>Lookup</b> walks the tiers fastest first. A tier serves an entry only while it is
 *       live by the frame's expiry and by that tier's own lifetime counted from the entry's
 *       creation (so shortening a tier's {@code expireAfterWrite} applies to what it already
 *       holds). A hit in a lower tier is copied into the tiers above, each keeping it for its own
 *       lifetime from the original write; a copy that would already be dead is not made.</li>
 *   <li><b>Lifetimes.</b> Tier {@code i} keeps an entry for its own
 *       {@link TierConfig#expireAfterWrite()}, else for this engine's default lifetime (the
 *       memory's {@code expireAfterWrite}); an engine made with {@link #bounded} never lets a
 *       tier keep an entry longer than its bound.</li>
 *   <li><b>Counts.</b> Hits and misses by tier ({@link #hitsByTier()}, {@link #missesByTier()}),
 *       besides the stores' own {@link StoreStats}, which count every caller's reads.</li>
 *   <li><b>Damage is the store's.</b> By the {@link Store} contract a store returns only frames
 *       that pass {@link EntryFrame#verify}, and removes and counts a damaged one itself; the
 *       engine parses what it gets without computing the checksum again
 *       ({@link EntryFrame#decodeVerified}), and never removes an entry for damage. A frame
 *       that still does not parse (a store breaking its contract) is a miss, logged once. A
 *       frame that parses but that the caller's {@link Decoder} cannot read (its payload no
 *       longer fits the declared type) is removed by the engine, from that tier only.</li>
 *   <li><b>Removal</b> ({@link #remove}, {@link #removeNamespace}) removes from every tier and
 *       publishes an {@link Invalidation} on each shared tier's {@link InvalidationBus}, so
 *       other processes drop their copies.</li>
 * </ul>
 *
 * <p>Thread-safe. Nothing here throws because of a tier: a store in trouble is a miss or a
 * dropped write, as the store contract says.
 */
public final class TierEngine {
  private static final System.Logger LOG = System.getLogger(TierEngine.class.getName());

  private final Tiers tiers;
  private final List<Store> stores;
  private final Clock clock;
  private final long defaultLifetimeMillis;
  private final long boundMillis;
  /** Each tier's lifetime in millis, 0 for none: what it is told when an entry is written. */
  private final long[] lifetimeMillis;
  private final LongAdder[] hits;
  private final LongAdder[] misses;
  private final AtomicBoolean loggedBrokenStore = new AtomicBoolean();

  /**
   * An engine over {@code tiers}.
   *
   * @param tiers the tiers, fastest first; not null
   * @param clock the wall clock that stamps written entries and decides whether a read one has
   *     expired; not null
   * @param defaultLifetimeMillis how long a tier without an {@code expireAfterWrite} of its own
   *     keeps an entry, 0 for no limit
   * @throws IllegalArgumentException when {@code defaultLifetimeMillis} is negative
   */
  public TierEngine(Tiers tiers, Clock clock, long defaultLifetimeMillis) {
    this(tiers, clock, defaultLifetimeMillis, 0);
  }

  private TierEngine(Tiers tiers, Clock clock, long defaultLifetimeMillis, long boundMillis) {
    this.tiers = Objects.requireNonNull(tiers, "tiers");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (defaultLifetimeMillis < 0) {
      throw new IllegalArgumentException("defaultLifetimeMillis is a duration in milliseconds"
          + " or 0 for no limit, got " + defaultLifetimeMillis);
    }
    this.defaultLifetimeMillis = defaultLifetimeMillis;
    this.boundMillis = boundMillis;
    this.stores = tiers.stores();
    this.lifetimeMillis = new long[stores.size()];
    this.hits = new LongAdder[stores.size()];
    this.misses = new LongAdder[stores.size()];
    for (int i = 0; i < stores.size(); i++) {
      long own = tiers.ttlMillis(i, defaultLifetimeMillis);
      lifetimeMillis[i] = boundMillis == 0 ? own : own == 0 ? boundMillis
          : Math.min(own, boundMillis);
      hits[i] = new LongAdder();
      misses[i] = new LongAdder();
    }
  }

  /**
   * An engine over the same tiers whose entries live at most {@code maxLifetimeMillis} in any
   * tier (the shorter of that and the tier's own lifetime), with counts of its own: for entries
   * that stop being valid after a time, such as LLM answers with a {@code ttl}.
   *
   * @param maxLifetimeMillis the bound in milliseconds, or 0 for none
   * @return a new engine
   * @throws IllegalArgumentException when {@code maxLifetimeMillis} is negative
   */
  public TierEngine bounded(long maxLifetimeMillis) {
    if (maxLifetimeMillis < 0) {
      throw new IllegalArgumentException("maxLifetimeMillis is a duration in milliseconds or 0"
          + " for no bound, got " + maxLifetimeMillis);
    }
    return new TierEngine(tiers, clock, defaultLifetimeMillis, maxLifetimeMillis);
  }

  /**
   * The stores, fastest first.
   *
   * @return an immutable list, empty for a memory-only Cachet
   */
  public List<Store> stores() {
    return stores;
  }

  /**
   * The clock entries are stamped and expired by.
   *
   * @return the Cachet's wall clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * How long tier {@code index} keeps an entry written now.
   *
   * @param index the tier's position, fastest first
   * @return milliseconds, 0 for no limit
   * @throws IndexOutOfBoundsException when there is no such tier
   */
  public long lifetimeMillis(int index) {
    return lifetimeMillis[index];
  }

  /**
   * Whether another process may invalidate entries here (a shared tier has a bus).
   *
   * @return true when some tier has an {@link InvalidationBus}
   */
  public boolean coherent() {
    return tiers.coherent();
  }

  /**
   * Single-flight across processes, when a shared tier offers it.
   *
   * @return the first shared tier's fleet flight, or empty
   */
  public Optional<FleetFlight> fleetFlight() {
    return tiers.fleetFlight();
  }

  /**
   * Reads a frame's payload into the caller's value.
   *
   * @param <T> the value type
   */
  @FunctionalInterface
  public interface Decoder<T> {
    /**
     * Decodes a live frame of the requested type.
     *
     * @param frame the frame
     * @return the value, or null to leave the entry alone and look in the next tier (a payload
     *     this process cannot read but another may, such as one written with a codec
     *     registered elsewhere)
     * @throws RuntimeException when the payload is unusable: the engine then removes the entry
     *     from that tier and looks in the next
     */
    T decode(EntryFrame frame);
  }

  /**
   * What a lookup found.
   *
   * @param <T> the value type
   * @param value what the decoder returned; not null
   * @param frame the frame it was read from
   * @param tier the position of the tier that held it, fastest first
   * @param store that tier's store
   */
  public record Found<T>(T value, EntryFrame frame, int tier, Store store) {
  }

  /**
   * Looks an entry up in each tier in turn, promotes a lower-tier hit into the tiers above it,
   * and counts the hit or the misses by tier.
   *
   * @param <T> the value type
   * @param namespace the entries' namespace
   * @param digest the key's digest
   * @param typeFingerprint the type the frame must have been written for; a frame of another
   *     type is a miss and stays (another reader may want it)
   * @param decoder reads the payload
   * @return what was found, or null when no tier holds a live, readable entry
   */
  public <T> Found<T> lookup(String namespace, String digest, String typeFingerprint,
      Decoder<T> decoder) {
    for (int i = 0; i < stores.size(); i++) {
      Store store = stores.get(i);
      byte[] bytes = store.get(namespace, digest);
      EntryFrame frame = live(i, bytes, typeFingerprint);
      if (frame == null) {
        misses[i].increment();
        continue;
      }
      T value;
      try {
        value = decoder.decode(frame);
      } catch (RuntimeException unusable) {
        // A value that no longer decodes (its shape changed under the same type fingerprint)
        // is dropped, not served again.
        store.remove(namespace, digest);
        misses[i].increment();
        continue;
      }
      if (value == null) {
        misses[i].increment();
        continue;
      }
      promote(namespace, digest, bytes, frame, i);
      hits[i].increment();
      return new Found<>(value, frame, i, store);
    }
    return null;
  }

  /**
   * Reads one tier's entry without promoting or counting it, for callers that rebuild an
   * index from what a tier lists ({@link Store#digests}).
   *
   * @param index the tier's position, fastest first
   * @param namespace the namespace
   * @param digest the digest
   * @param typeFingerprint the type the frame must have been written for
   * @return the live frame, or null
   */
  public EntryFrame peek(int index, String namespace, String digest, String typeFingerprint) {
    return live(index, stores.get(index).get(namespace, digest), typeFingerprint);
  }

  /** The frame when it is of the type asked for and live in tier {@code index}; else null. */
  private EntryFrame live(int index, byte[] bytes, String typeFingerprint) {
    if (bytes == null) {
      return null;
    }
    EntryFrame frame;
    try {
      frame = EntryFrame.decodeVerified(bytes);
    } catch (CorruptEntryException e) {
      // The store should have verified it; removing it is the store's job, not this one's.
      if (loggedBrokenStore.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, stores.get(index).describe() + " returned bytes"
            + " that are not an entry frame, which its get must never do (" + e.getMessage()
            + "); such entries are misses. Further ones are not logged.");
      }
      return null;
    }
    if (!frame.typeFingerprint().equals(typeFingerprint)) {
      return null;
    }
    long now = clock.millis();
    long ownExpiry = expiresAt(frame.createdAtMillis(), lifetimeMillis[index]);
    boolean dead = frame.isExpired(now) || (ownExpiry != 0 && ownExpiry <= now);
    return dead ? null : frame;
  }

  private void promote(String namespace, String digest, byte[] bytes, EntryFrame frame,
      int found) {
    long now = clock.millis();
    for (int j = 0; j < found; j++) {
      // Each upper tier keeps the entry for its own lifetime, counted from the original write,
      // so promotion never makes an entry live longer than that tier allows.
      long expiresAt = expiresAt(frame.createdAtMillis(), lifetimeMillis[j]);
      if (expiresAt != 0 && expiresAt <= now) {
        continue;
      }
      byte[] copy = expiresAt == frame.expiresAtMillis() ? bytes : new EntryFrame(
          frame.codecId(), frame.typeFingerprint(), frame.createdAtMillis(), expiresAt,
          frame.tags(), frame.payload()).encode();
      stores.get(j).put(namespace, digest, copy, expiresAt, frame.tags());
    }
  }

  /**
   * Writes an entry to every tier, each framed with that tier's expiry (one frame per distinct
   * expiry), replacing what each held. Does not publish anything: a computed value replaces
   * nothing another process could hold; use {@link #publish} for an explicit replacement.
   *
   * @param namespace the namespace
   * @param digest the key's digest
   * @param codecId the codec that wrote {@code payload}
   * @param typeFingerprint the type the payload was written for
   * @param tags the entry's tags, possibly empty
   * @param payload the encoded value
   * @param createdAtMillis when the value was made, in epoch millis (from {@link #clock()}):
   *     every tier's lifetime counts from it
   */
  public void put(String namespace, String digest, String codecId, String typeFingerprint,
      List<String> tags, byte[] payload, long createdAtMillis) {
    long now = clock.millis();
    byte[] frame = null;
    long frameExpiry = -1;
    for (int i = 0; i < stores.size(); i++) {
      long expiresAt = expiresAt(createdAtMillis, lifetimeMillis[i]);
      if (expiresAt != 0 && expiresAt <= now) {
        // Already dead here: what the tier held under this key is older still.
        stores.get(i).remove(namespace, digest);
        continue;
      }
      if (frame == null || expiresAt != frameExpiry) {
        frame = new EntryFrame(codecId, typeFingerprint, createdAtMillis, expiresAt, tags,
            payload).encode();
        frameExpiry = expiresAt;
      }
      stores.get(i).put(namespace, digest, frame, expiresAt, tags);
    }
  }

  /**
   * Removes an entry from every tier and tells the other processes, whether or not this one
   * held it (they may hold copies in memory).
   *
   * @param namespace the namespace
   * @param digest the key's digest
   * @param reason why, for the invalidation audit
   * @return whether some tier held it
   */
  public boolean remove(String namespace, String digest, String reason) {
    boolean removed = false;
    for (Store store : stores) {
      removed |= store.remove(namespace, digest);
    }
    publish(Invalidation.key(namespace, digest, reason));
    return removed;
  }

  /**
   * Removes every entry of a namespace from every tier and tells the other processes.
   *
   * @param namespace the namespace
   * @param reason why, for the invalidation audit
   */
  public void removeNamespace(String namespace, String reason) {
    for (Store store : stores) {
      store.removeNamespace(namespace);
    }
    publish(Invalidation.namespace(namespace, reason));
  }

  /**
   * Tells every other process about an invalidation done here. Never throws.
   *
   * @param invalidation what was invalidated
   */
  public void publish(Invalidation invalidation) {
    tiers.publish(invalidation);
  }

  /**
   * Receives the invalidations other processes publish on the shared tiers' buses. The
   * receiver runs on a bus's thread: it must be quick and must not throw. The Cachet itself
   * already removes what they name from this host's local tiers; the receiver drops what only
   * its caller holds (memory, indexes).
   *
   * @param receiver the receiver; not null
   */
  public void subscribe(Consumer<Invalidation> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    for (InvalidationBus bus : tiers.buses()) {
      bus.subscribe(receiver);
    }
  }

  /**
   * Hits served by each tier since this engine was made.
   *
   * @return one count per store, fastest first
   */
  public long[] hitsByTier() {
    return sums(hits);
  }

  /**
   * Lookups each tier did not serve (absent, expired there, of another type, or unreadable)
   * since this engine was made.
   *
   * @return one count per store, fastest first
   */
  public long[] missesByTier() {
    return sums(misses);
  }

  private static long[] sums(LongAdder[] adders) {
    long[] out = new long[adders.length];
    for (int i = 0; i < adders.length; i++) {
      out[i] = adders[i].sum();
    }
    return out;
  }

  private static long expiresAt(long createdAt, long lifetime) {
    return lifetime == 0 ? 0 : createdAt + lifetime;
  }

  /**
   * Describes the engine for logs.
   *
   * @return its stores' descriptions, fastest first
   */
  @Override
  public String toString() {
    return "TierEngine" + stores.stream().map(Store::describe).toList();
  }
}
