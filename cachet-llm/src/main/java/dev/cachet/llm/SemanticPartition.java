package dev.cachet.llm;

import dev.cachet.codec.EntryFrame;
import dev.cachet.llm.semantic.VectorIndex;
import dev.cachet.tier.Store;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The vector index and prompts of one semantic partition (every part of a request but its last
 * user message, and the tenant), bounded in memory, and filled from the tiers with the
 * prompts other processes (or earlier runs) stored.
 */
final class SemanticPartition {
  private static final Logger LOG = Logger.getLogger(LlmCache.class.getName());

  private final String digest;
  private final VectorIndex index;
  private final Map<String, String> prompts = new ConcurrentHashMap<>();
  /** Insertion order, oldest first, for the capacity bound (O(1) removal by id). */
  private final LinkedHashMap<String, Boolean> order = new LinkedHashMap<>();
  private volatile long syncedAt; // 0: never (epoch millis, so the first check always syncs)
  private final AtomicBoolean syncing = new AtomicBoolean();
  /** Ids added or evicted here, so a refresh never re-reads (or re-adds) them. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final AnswerTiers tiers;
  private final int dimension;
  private final int capacity;
  private final long refreshMillis;
  /** The longest a lookup waits for this partition's first read of the tiers. */
  private final long firstReadWaitMillis;

  SemanticPartition(String digest, AnswerTiers tiers, int dimension, int annThreshold,
      int capacity, long refreshMillis, long firstReadWaitMillis) {
    this.firstReadWaitMillis = firstReadWaitMillis;
    this.digest = digest;
    this.tiers = tiers;
    this.dimension = dimension;
    this.capacity = capacity;
    this.refreshMillis = refreshMillis;
    this.index = new VectorIndex(dimension, annThreshold);
  }

  /** The stored prompts nearest to {@code query}, most similar first. */
  List<VectorIndex.Neighbor> search(float[] query, int k) {
    return index.search(query, k);
  }

  /** The prompt stored under an id, or null when it was removed meanwhile. */
  String prompt(String id) {
    return prompts.get(id);
  }

  /** The number of prompts in the index. */
  int size() {
    return index.size();
  }

  void add(String id, String prompt, float[] vector) {
    known.add(id);
    prompts.put(id, prompt);
    index.put(id, vector);
    String evicted = null;
    synchronized (order) {
      order.remove(id);
      order.put(id, Boolean.TRUE);
      if (order.size() > capacity) {
        evicted = order.keySet().iterator().next();
        order.remove(evicted);
      }
    }
    if (evicted != null) {
      // Bounded in memory; the entry stays in the tiers (and answers exact matches).
      prompts.remove(evicted);
      index.remove(evicted);
    }
  }

  boolean remove(String id) {
    known.remove(id); // removed everywhere: if it is stored again, read it again
    synchronized (order) {
      order.remove(id);
    }
    prompts.remove(id);
    return index.remove(id);
  }

  /**
   * Reads entries other processes (or earlier runs) stored, at most once per interval, in the
   * background. The first time, the caller waits for it up to the first-read wait, so a
   * lookup usually sees what others stored, but a slow tier (a scan of a large Redis, a disk
   * store applying its journal) never holds a request longer than that.
   */
  void syncIfStale() {
    long now = System.currentTimeMillis();
    if (tiers.stores().isEmpty() || now - syncedAt < refreshMillis
        || !syncing.compareAndSet(false, true)) {
      return;
    }
    boolean first = syncedAt == 0;
    CompletableFuture<Void> running = CompletableFuture.runAsync(this::sync,
        ForkJoinPool.commonPool());
    if (first) {
      try {
        running.get(firstReadWaitMillis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException slow) {
        // Goes on in the background; this lookup sees what this process has.
      } catch (ExecutionException e) {
        LOG.log(Level.WARNING, "Reading the stored prompts of a partition failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void sync() {
    try {
      String namespace = tiers.semanticNamespace(digest);
      List<Store> stores = tiers.stores();
      for (int i = 0; i < stores.size(); i++) {
        List<String> digests;
        try {
          digests = stores.get(i).digests(namespace, capacity);
        } catch (UnsupportedOperationException e) {
          continue; // this store cannot list: no cross-process rebuild from it
        }
        for (String id : digests) {
          if (!known.contains(id)) {
            read(i, namespace, id);
          }
        }
      }
    } finally {
      syncedAt = System.currentTimeMillis();
      syncing.set(false);
    }
  }

  private void read(int tier, String namespace, String id) {
    // Live by the tier's own lifetime too; a rebuild is not a lookup, so nothing is counted.
    EntryFrame frame = tiers.engine().peek(tier, namespace, id, SemanticEntry.TYPE);
    if (frame == null) {
      return;
    }
    try {
      SemanticEntry entry = SemanticEntry.decode(frame.payload());
      if (entry.vector().length == dimension) {
        add(id, entry.prompt(), entry.vector());
      }
    } catch (RuntimeException | IOException e) {
      LOG.log(Level.WARNING, "Unreadable semantic entry in "
          + tiers.stores().get(tier).describe(), e);
    }
  }
}
