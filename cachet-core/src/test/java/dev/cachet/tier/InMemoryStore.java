package dev.cachet.tier;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A {@link Store} in a map that keeps the whole contract ({@link StoreContract} runs on it): a
 * reference for what the contract asks of an engine, and a store for core tests that need
 * expiry, tags and statistics to behave as a real tier's. (Unlike {@link MapStore}, the
 * tiering tests' inspectable double, which ignores expiry and keeps no statistics.)
 */
public final class InMemoryStore implements Store {
  private record Key(String namespace, String digest) {
  }

  private record Entry(byte[] bytes, long expiresAt, List<String> tags) {
  }

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder expirations = new LongAdder();
  private final LongAdder corruptions = new LongAdder();
  private volatile boolean closed;

  /** A store on the wall clock. */
  public InMemoryStore() {
    this(System::currentTimeMillis);
  }

  /**
   * A store that compares expiries with {@code clock}.
   *
   * @param clock epoch milliseconds now
   */
  public InMemoryStore(LongSupplier clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String describe() {
    return "memory-store@" + Integer.toHexString(System.identityHashCode(this));
  }

  @Override
  public byte[] get(String namespace, String digest) {
    Key key = new Key(Objects.requireNonNull(namespace, "namespace"),
        Objects.requireNonNull(digest, "digest"));
    ensureOpen();
    Entry e = entries.get(key);
    if (e == null) {
      misses.increment();
      return null;
    }
    if (e.expiresAt() != 0 && clock.getAsLong() >= e.expiresAt()) {
      if (entries.remove(key, e)) {
        expirations.increment();
      }
      misses.increment();
      return null;
    }
    try {
      EntryFrame.verify(e.bytes());
    } catch (CorruptEntryException damaged) {
      if (entries.remove(key, e)) {
        corruptions.increment();
      }
      misses.increment();
      return null;
    }
    hits.increment();
    return e.bytes().clone();
  }

  @Override
  public void put(String namespace, String digest, byte[] frame, long expiresAtMillis,
      List<String> tags) {
    Key key = new Key(Objects.requireNonNull(namespace, "namespace"),
        Objects.requireNonNull(digest, "digest"));
    Objects.requireNonNull(frame, "frame");
    List<String> tagList = List.copyOf(tags); // rejects null tags
    if (expiresAtMillis < 0) {
      throw new IllegalArgumentException("expiresAtMillis is epoch millis or 0 for never, got "
          + expiresAtMillis);
    }
    ensureOpen();
    if (expiresAtMillis != 0 && clock.getAsLong() >= expiresAtMillis) {
      // Storing it would only hide it; removing the old value keeps put's meaning.
      entries.remove(key);
      return;
    }
    entries.put(key, new Entry(frame.clone(), expiresAtMillis, tagList));
    writes.increment();
  }

  /**
   * Replaces the stored bytes of an entry without any check, as damage would.
   *
   * @return whether the entry was there
   */
  boolean overwrite(String namespace, String digest, byte[] bytes) {
    return entries.computeIfPresent(new Key(namespace, digest),
        (k, e) -> new Entry(bytes.clone(), e.expiresAt(), e.tags())) != null;
  }

  @Override
  public boolean remove(String namespace, String digest) {
    Key key = new Key(Objects.requireNonNull(namespace, "namespace"),
        Objects.requireNonNull(digest, "digest"));
    ensureOpen();
    return entries.remove(key) != null;
  }

  @Override
  public long removeNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    ensureOpen();
    return removeIf(k -> k.namespace().equals(namespace), e -> true);
  }

  @Override
  public long removeTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    ensureOpen();
    return removeIf(k -> true, e -> e.tags().contains(tag));
  }

  /** Counts only the removals this call made, so concurrent removers never count one twice. */
  private long removeIf(java.util.function.Predicate<Key> key,
      java.util.function.Predicate<Entry> entry) {
    long removed = 0;
    for (Map.Entry<Key, Entry> e : entries.entrySet()) {
      if (key.test(e.getKey()) && entry.test(e.getValue())
          && entries.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public void clear() {
    ensureOpen();
    entries.clear();
  }

  @Override
  public List<String> digests(String namespace, int limit) {
    Objects.requireNonNull(namespace, "namespace");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    ensureOpen();
    long now = clock.getAsLong();
    List<String> out = new ArrayList<>();
    for (Map.Entry<Key, Entry> e : entries.entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      long expires = e.getValue().expiresAt();
      if (e.getKey().namespace().equals(namespace) && (expires == 0 || now < expires)) {
        out.add(e.getKey().digest());
      }
    }
    return out;
  }

  @Override
  public StoreStats stats() {
    long bytes = 0;
    for (Entry e : entries.values()) {
      bytes += e.bytes().length;
    }
    return new StoreStats(entries.size(), bytes, hits.sum(), misses.sum(), writes.sum(), 0,
        expirations.sum(), corruptions.sum(), 0);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
  }
}
