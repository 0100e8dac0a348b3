package dev.cachet.memory;

import dev.cachet.EvictionPolicy;
import dev.cachet.stats.RemovalCause;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongBiFunction;

/**
 * An obviously correct, slow model of the exact policies, for comparison with {@link PolicyStore}:
 * a {@link LinkedHashMap} kept in policy order by removing and re-inserting (LRU, FIFO), and a
 * naive O(n) scan for the minimum (count, last access) for LFU. No expiry.
 */
final class ReferenceModel {

  /** A removal the model made, as the store's listener should see it. */
  record Removal(Object key, Object value, RemovalCause cause) {
  }

  private static final class Entry {
    Object value;
    long weight;
    long count;
    long lastAccess;
  }

  private final EvictionPolicy policy;
  private final long maximumSize;
  private final long maximumWeight;
  private final ToLongBiFunction<Object, Object> weigher;
  private final LinkedHashMap<Object, Entry> entries = new LinkedHashMap<>();
  private long tick;
  private long weight;

  ReferenceModel(EvictionPolicy policy, long maximumSize, long maximumWeight,
      ToLongBiFunction<Object, Object> weigher) {
    this.policy = policy;
    this.maximumSize = maximumSize;
    this.maximumWeight = maximumWeight;
    this.weigher = weigher;
  }

  Object get(Object key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    touch(key, e, false);
    return e.value;
  }

  List<Removal> put(Object key, Object value) {
    List<Removal> removals = new ArrayList<>();
    long w = weigher == null ? 1 : weigher.applyAsLong(key, value);
    Entry e = entries.get(key);
    if (e != null) {
      removals.add(new Removal(key, e.value, RemovalCause.REPLACED));
      e.value = value;
      weight += w - e.weight;
      e.weight = w;
      touch(key, e, true);
    } else {
      e = new Entry();
      e.value = value;
      e.weight = w;
      e.count = 1;
      e.lastAccess = ++tick;
      entries.put(key, e);
      weight += w;
    }
    if (maximumWeight != StoreConfig.UNSET && w > maximumWeight) {
      // Can never fit: it goes alone, rather than emptying the cache for nothing.
      entries.remove(key);
      weight -= w;
      removals.add(new Removal(key, value, RemovalCause.SIZE));
    }
    while (overBound()) {
      Object victim = victimOtherThan(key);
      Entry v = entries.remove(victim);
      weight -= v.weight;
      removals.add(new Removal(victim, v.value, RemovalCause.SIZE));
    }
    return removals;
  }

  Object remove(Object key) {
    Entry e = entries.remove(key);
    if (e == null) {
      return null;
    }
    weight -= e.weight;
    return e.value;
  }

  void clear() {
    entries.clear();
    weight = 0;
  }

  /** The keys held, sorted for stable comparison. */
  TreeSet<Object> keys() {
    return new TreeSet<>(entries.keySet());
  }

  Map<Object, Object> snapshot() {
    Map<Object, Object> m = new LinkedHashMap<>();
    entries.forEach((k, e) -> m.put(k, e.value));
    return m;
  }

  long size() {
    return entries.size();
  }

  long weightedSize() {
    return weight;
  }

  private void touch(Object key, Entry e, boolean write) {
    e.count++;
    e.lastAccess = ++tick;
    boolean reorder = policy == EvictionPolicy.LRU || (policy == EvictionPolicy.FIFO && write);
    if (reorder) {
      entries.remove(key);
      entries.put(key, e);
    }
  }

  private boolean overBound() {
    if (maximumWeight != StoreConfig.UNSET) {
      return weight > maximumWeight;
    }
    return maximumSize != StoreConfig.UNSET && entries.size() > maximumSize;
  }

  /** The policy's victim, sparing the entry just written unless it is the only one left. */
  private Object victimOtherThan(Object written) {
    Object best = null;
    Entry bestEntry = null;
    for (Map.Entry<Object, Entry> me : entries.entrySet()) {
      if (me.getKey().equals(written)) {
        continue;
      }
      if (policy != EvictionPolicy.LFU) {
        return me.getKey(); // iteration order is the eviction order
      }
      Entry e = me.getValue();
      if (bestEntry == null || e.count < bestEntry.count
          || (e.count == bestEntry.count && e.lastAccess < bestEntry.lastAccess)) {
        best = me.getKey();
        bestEntry = e;
      }
    }
    return best != null ? best : written;
  }
}
