package dev.cachet.tier;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that passes everything to another and counts the single-entry removals and the puts
 * asked of it: tests use it to show who removes a damaged entry (the store, never the engine
 * above it) and which tiers a read or a write touches.
 * Open for tests that override one method to break the contract on purpose.
 */
public class RemoveCountingStore implements Store {
  private final Store delegate;
  /** How many times {@link #remove} was called. */
  public final AtomicInteger removes = new AtomicInteger();
  /** How many times {@link #put} was called. */
  public final AtomicInteger puts = new AtomicInteger();

  /** Wraps {@code delegate}. */
  public RemoveCountingStore(Store delegate) {
    this.delegate = delegate;
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public byte[] get(String namespace, String digest) {
    return delegate.get(namespace, digest);
  }

  @Override
  public void put(String namespace, String digest, byte[] frame, long expiresAtMillis,
      List<String> tags) {
    puts.incrementAndGet();
    delegate.put(namespace, digest, frame, expiresAtMillis, tags);
  }

  @Override
  public boolean remove(String namespace, String digest) {
    removes.incrementAndGet();
    return delegate.remove(namespace, digest);
  }

  @Override
  public long removeNamespace(String namespace) {
    return delegate.removeNamespace(namespace);
  }

  @Override
  public long removeTag(String tag) {
    return delegate.removeTag(tag);
  }

  @Override
  public void clear() {
    delegate.clear();
  }

  @Override
  public List<String> digests(String namespace, int limit) {
    return delegate.digests(namespace, limit);
  }

  @Override
  public StoreStats stats() {
    return delegate.stats();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
