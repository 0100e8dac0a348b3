package dev.cachet.redis;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Invalidations this process made while Redis could not be reached. Dropping them would let
 * Redis serve the old value again once it is back (an entry removed from memory here, still in
 * Redis, read back on the next miss), so they are kept, replayed when Redis answers again, and
 * until then every read they may cover is a miss. Bounded: beyond {@code maxKeys} single keys,
 * a namespace's keys are folded into a removal of the whole namespace.
 */
final class PendingInvalidations {
  private final int maxKeys;
  /** Fast path: false while nothing is pending (the normal case), read without locking. */
  private volatile boolean any;
  private boolean all;
  private final Set<String> namespaces = new LinkedHashSet<>();
  private final Set<String> tags = new LinkedHashSet<>();
  private final Map<String, Set<String>> keys = new HashMap<>();
  private int keyCount;

  PendingInvalidations(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  /** What to replay, in this order: all, namespaces, tags, keys. */
  record Snapshot(boolean all, List<String> namespaces, List<String> tags,
      Map<String, Set<String>> keys) {
    boolean isEmpty() {
      return !all && namespaces.isEmpty() && tags.isEmpty() && keys.isEmpty();
    }
  }

  boolean isEmpty() {
    return !any;
  }

  /** Whether a read of this entry must be a miss until the pending invalidations are replayed. */
  boolean covers(String namespace, String digest) {
    if (!any) {
      return false;
    }
    synchronized (this) {
      if (all || !tags.isEmpty() || namespaces.contains(namespace)) {
        // A pending tag may cover any entry: no way to tell which without Redis.
        return true;
      }
      Set<String> digests = keys.get(namespace);
      return digests != null && digests.contains(digest);
    }
  }

  synchronized void key(String namespace, String digest) {
    if (all || namespaces.contains(namespace)) {
      return;
    }
    Set<String> digests = keys.computeIfAbsent(namespace, k -> new HashSet<>());
    if (digests.add(digest)) {
      keyCount++;
    }
    if (keyCount > maxKeys) {
      keyCount -= digests.size();
      keys.remove(namespace);
      namespaces.add(namespace);
    }
    any = true;
  }

  synchronized void namespace(String namespace) {
    if (all) {
      return;
    }
    Set<String> digests = keys.remove(namespace);
    if (digests != null) {
      keyCount -= digests.size();
    }
    namespaces.add(namespace);
    any = true;
  }

  synchronized void tag(String tag) {
    if (!all) {
      tags.add(tag);
      any = true;
    }
  }

  synchronized void everything() {
    all = true;
    namespaces.clear();
    tags.clear();
    keys.clear();
    keyCount = 0;
    any = true;
  }

  synchronized Snapshot snapshot() {
    Map<String, Set<String>> copy = new HashMap<>();
    keys.forEach((ns, d) -> copy.put(ns, Set.copyOf(d)));
    return new Snapshot(all, List.copyOf(namespaces), List.copyOf(tags), copy);
  }

  /** Forgets what {@code done} replayed (invalidations added meanwhile stay). */
  synchronized void replayed(Snapshot done) {
    if (done.all()) {
      all = false;
    }
    done.namespaces().forEach(namespaces::remove);
    done.tags().forEach(tags::remove);
    done.keys().forEach((ns, digests) -> {
      Set<String> current = keys.get(ns);
      if (current != null) {
        for (String d : digests) {
          if (current.remove(d)) {
            keyCount--;
          }
        }
        if (current.isEmpty()) {
          keys.remove(ns);
        }
      }
    });
    any = all || !namespaces.isEmpty() || !tags.isEmpty() || !keys.isEmpty();
  }
}
