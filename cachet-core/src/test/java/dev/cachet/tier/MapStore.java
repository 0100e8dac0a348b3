package dev.cachet.tier;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A store local to one "process" (what a disk store is to a host), for core tiering tests. */
public final class MapStore implements Store {
  /** Entries by namespace + "/" + digest, open to tests for inspection. */
  public final Map<String, HeapServer.Entry> entries = new ConcurrentHashMap<>();

  /** Whether {@link #close()} was called. */
  public volatile boolean closed;

  /** The cached entries, without the bookkeeping the core keeps in stores (log positions). */
  public Map<String, HeapServer.Entry> cached() {
    Map<String, HeapServer.Entry> out = new java.util.TreeMap<>(entries);
    out.keySet().removeIf(k -> k.startsWith("cachet:coherence/"));
    return out;
  }

  /** The expiry recorded for an entry, or -1 when absent. */
  public long expiresAt(String namespace, String digest) {
    HeapServer.Entry e = entries.get(namespace + "/" + digest);
    return e == null ? -1 : e.expiresAt();
  }

  /** Whether the namespace holds any entry. */
  public boolean holdsAny(String namespace) {
    return entries.keySet().stream().anyMatch(k -> k.startsWith(namespace + "/"));
  }

  @Override
  public String describe() {
    return "map";
  }

  @Override
  public byte[] get(String namespace, String digest) {
    HeapServer.Entry e = entries.get(namespace + "/" + digest);
    return e == null ? null : e.frame();
  }

  @Override
  public void put(String namespace, String digest, byte[] frame, long expiresAtMillis,
      List<String> tags) {
    entries.put(namespace + "/" + digest, new HeapServer.Entry(frame, expiresAtMillis,
        List.copyOf(tags)));
  }

  @Override
  public boolean remove(String namespace, String digest) {
    return entries.remove(namespace + "/" + digest) != null;
  }

  @Override
  public long removeNamespace(String namespace) {
    long before = entries.size();
    entries.keySet().removeIf(k -> k.startsWith(namespace + "/"));
    return before - entries.size();
  }

  @Override
  public long removeTag(String tag) {
    long before = entries.size();
    entries.values().removeIf(e -> e.tags().contains(tag));
    return before - entries.size();
  }

  @Override
  public void clear() {
    entries.clear();
  }

  @Override
  public StoreStats stats() {
    return new StoreStats(entries.size(), 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Override
  public void close() {
    closed = true;
  }
}
