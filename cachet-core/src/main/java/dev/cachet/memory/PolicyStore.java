package dev.cachet.memory;

import dev.cachet.Policy;
import dev.cachet.Ticker;
import dev.cachet.stats.RemovalCause;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The memory store for the exact policies {@link Policy#LRU}, {@link Policy#LFU} and
 * {@link Policy#FIFO}: evictions are exactly those of the textbook policy for any
 * single-threaded sequence of operations, every operation is O(1) (amortized for expiry), and
 * reads take no lock.
 *
 * <h2>How it works</h2>
 *
 * <ul>
 *   <li>Entries ({@link Node}s) live in a {@link ConcurrentHashMap}, which {@link #get} and
 *       {@link #peek} read without locking. Every change to the map and to the ordering
 *       structures happens under one lock, so there is a single, simple source of truth.
 *   <li>A read that matters to the policy (LRU and LFU when bounded, or any policy with time to
 *       idle) is appended to a striped {@link ReadBuffer}. The buffers are replayed in order by
 *       the lock holder: before every write, when a reader sees its stripe filling up and the
 *       lock is free, and unconditionally when a stripe is full, so no read is ever dropped.
 *   <li>The {@link EvictionOrder} (a list for LRU and FIFO, frequency buckets for LFU) picks the
 *       victims after each write until the entry or weight bound holds again. The entry just
 *       written is always considered last, so it is evicted only when it alone exceeds the bound.
 *   <li>Expiry: store-wide lifetimes keep their entries in queues whose order is their deadline
 *       order (write order for expire-after-write, access order for time to idle; the FIFO and
 *       LRU lists double as these queues), so reclaiming is popping expired heads. Per-entry
 *       lifetimes go into a {@link TimerWheel}. Reads compare the entry's own times to the
 *       ticker, so an expired entry is never returned, even before it is reclaimed.
 *   <li>Maintenance (replaying reads, reclaiming expired entries) runs on the calling threads, in
 *       writes, in reads that drain a buffer or meet an expired entry, and in {@link #cleanUp}.
 *   <li>Removals are collected under the lock and reported to the listener after releasing it.
 * </ul>
 */
public final class PolicyStore implements MemoryStore {
  /**
   * Cap on lifetimes used to compute deadlines (about 146 years), so that {@code now + lifetime}
   * cannot overflow into the past for any realistic ticker value.
   */
  private static final long MAX_LIFETIME = Long.MAX_VALUE >> 1;

  private static final long UNSET = StoreConfig.UNSET;

  private final StoreConfig config;
  private final ConcurrentHashMap<Object, Node> data = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final EvictionOrder order;
  private final Ticker ticker;
  private final RemovalListener listener;
  private final StoreConfig.EntryWeigher weigher;
  private final StoreConfig.EntryExpiry entryExpiry;
  private final long maximumSize;
  private final long maximumWeight;
  private final long expireAfterWrite;
  private final long expireAfterAccess;
  private final boolean expires;

  /** Null when reads do not affect the store's state (FIFO, or unbounded, without time to idle). */
  private final ReadBuffer readBuffer;
  private final ReadBuffer.Sink applyRead = this::applyRead;

  /** Entries in write order when expiring after write, else null; may be the FIFO list itself. */
  private final NodeDeque writeQueue;
  private final boolean ownWriteQueue;

  /** Entries in access order when expiring after access, else null; may be the LRU list itself. */
  private final NodeDeque accessQueue;
  private final boolean ownAccessQueue;

  /** Per-entry deadlines, when there is a per-entry expiry; else null. */
  private final TimerWheel wheel;
  private final TimerWheel.DueSink expireDue = n -> removeNode(n, RemovalCause.EXPIRED);

  /** Entries held; written under the lock, read by anyone. */
  private volatile long size;
  /** Sum of the weights of the entries held; written under the lock, read by anyone. */
  private volatile long weight;

  /** Removals made by the current lock holder, reported once it has released the lock. */
  private PendingRemovals pending;

  /**
   * Creates an empty store.
   *
   * @param config the settings; its policy must be LRU, LFU or FIFO
   * @throws IllegalArgumentException for the ADAPTIVE policy, which {@code CaffeineStore} serves
   */
  public PolicyStore(StoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.order = EvictionOrder.of(config.policy());
    this.ticker = config.ticker();
    this.listener = config.removalListener();
    this.weigher = config.weigher();
    this.entryExpiry = config.entryExpiry();
    this.maximumSize = config.maximumSize();
    this.maximumWeight = config.maximumWeight();
    this.expireAfterWrite = config.expireAfterWriteNanos();
    this.expireAfterAccess = config.expireAfterAccessNanos();
    this.expires = config.expires();

    NodeDeque list = order.list();
    if (expireAfterWrite == UNSET) {
      writeQueue = null;
      ownWriteQueue = false;
    } else {
      boolean shared = config.policy() == Policy.FIFO;
      writeQueue = shared ? list : new NodeDeque.InWriteOrder();
      ownWriteQueue = !shared;
    }
    if (expireAfterAccess == UNSET) {
      accessQueue = null;
      ownAccessQueue = false;
    } else {
      boolean shared = config.policy() == Policy.LRU;
      accessQueue = shared ? list : new NodeDeque.InAccessOrder();
      ownAccessQueue = !shared;
    }
    wheel = entryExpiry == null ? null : new TimerWheel(ticker.read());
    boolean recordReads = (order.ordersReads() && config.bounded()) || expireAfterAccess != UNSET;
    readBuffer = recordReads ? new ReadBuffer() : null;
  }

  /** {@inheritDoc} */
  @Override
  public Object get(Object key) {
    Node n = data.get(requireKey(key));
    if (n == null) {
      return null;
    }
    // Value before times: a replacement writes times before value, so a reader never pairs a
    // new value with the previous write's (possibly expired) times.
    Object value = n.value;
    if (expires) {
      long now = ticker.read();
      if (hasExpired(n, now)) {
        reclaimOnRead(n);
        return null;
      }
      if (expireAfterAccess != UNSET) {
        n.setAccessTime(now);
      }
    }
    if (readBuffer != null) {
      recordRead(n);
    }
    return value;
  }

  /** {@inheritDoc} */
  @Override
  public Object peek(Object key) {
    Node n = data.get(requireKey(key));
    if (n == null) {
      return null;
    }
    Object value = n.value;
    return expires && hasExpired(n, ticker.read()) ? null : value;
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code key} or {@code value} is null
   * @throws IllegalArgumentException if the weigher returns a negative weight
   */
  @Override
  public void put(Object key, Object value) {
    requireKey(key);
    Objects.requireNonNull(value, "value must not be null");
    // User code runs before taking the lock, so a slow weigher or expiry blocks no other thread.
    long w = weigh(key, value);
    long lifetime = entryExpiry == null ? UNSET : lifetime(key, value);
    lock.lock();
    try {
      drainReads();
      long now = 0;
      if (expires) {
        now = ticker.read();
        expireEntries(now, false);
      }
      Node n = data.get(key);
      if (n != null && expires && hasExpired(n, now)) {
        // Not replaced in place: a reader still holding the node must keep seeing it expired.
        removeNode(n, RemovalCause.EXPIRED);
        n = null;
      }
      if (n == null) {
        n = new Node(key, value, w);
        stampTimes(n, now, lifetime);
        data.put(key, n);
        size++;
        weight += w;
        order.onInsert(n);
        linkForExpiry(n, lifetime, true);
      } else {
        Object old = n.value;
        stampTimes(n, now, lifetime);
        n.value = value;
        weight += w - n.weight;
        n.weight = w;
        order.onReplace(n);
        linkForExpiry(n, lifetime, false);
        removed(n.key, old, RemovalCause.REPLACED);
      }
      evictBeyondBound(n);
    } finally {
      unlockAndNotify();
    }
  }

  /** {@inheritDoc} */
  @Override
  public Object remove(Object key) {
    if (data.get(requireKey(key)) == null) {
      return null;
    }
    lock.lock();
    try {
      drainReads();
      long now = 0;
      if (expires) {
        now = ticker.read();
        expireEntries(now, false);
      }
      Node n = data.get(key);
      if (n == null) {
        return null;
      }
      if (expires && hasExpired(n, now)) {
        removeNode(n, RemovalCause.EXPIRED);
        return null;
      }
      removeNode(n, RemovalCause.EXPLICIT);
      return n.value;
    } finally {
      unlockAndNotify();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Entries that had already expired but were not yet reclaimed are reported as
   * {@link RemovalCause#EXPIRED}, consistently with {@link #remove}, which does not return them.
   */
  @Override
  public void clear() {
    lock.lock();
    try {
      // Replaying reads is pointless now, but it empties the rings; dead nodes are skipped anyway.
      drainReads();
      long now = expires ? ticker.read() : 0;
      for (Node n : data.values()) {
        n.alive = false;
        boolean expired = expires && hasExpired(n, now);
        removed(n.key, n.value, expired ? RemovalCause.EXPIRED : RemovalCause.EXPLICIT);
      }
      data.clear();
      order.reset();
      if (ownWriteQueue) {
        writeQueue.reset();
      }
      if (ownAccessQueue) {
        accessQueue.reset();
      }
      if (wheel != null) {
        wheel.reset();
      }
      size = 0;
      weight = 0;
    } finally {
      unlockAndNotify();
    }
  }

  /** {@inheritDoc} */
  @Override
  public long size() {
    return size;
  }

  /** {@inheritDoc} */
  @Override
  public long weightedSize() {
    return weight;
  }

  /** {@inheritDoc} */
  @Override
  public StoreConfig config() {
    return config;
  }

  /** {@inheritDoc} */
  @Override
  public void cleanUp() {
    lock.lock();
    try {
      drainReads();
      if (expires) {
        expireEntries(ticker.read(), true);
      }
    } finally {
      unlockAndNotify();
    }
  }

  @Override
  public String toString() {
    return "PolicyStore[" + config.policy() + ", size=" + size + ", weight=" + weight + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  private void recordRead(Node n) {
    int result = readBuffer.offer(n);
    if (result == ReadBuffer.RECORDED) {
      return;
    }
    if (result == ReadBuffer.DRAIN_ADVISED) {
      // Someone else holding the lock will drain, or the ring fills and we come back here.
      if (lock.tryLock()) {
        try {
          maintain();
        } finally {
          unlockAndNotify();
        }
      }
      return;
    }
    // Full: an exact policy cannot drop the read, so make room and try again.
    for (;;) {
      lock.lock();
      try {
        maintain();
      } finally {
        unlockAndNotify();
      }
      if (readBuffer.offer(n) != ReadBuffer.FULL) {
        return;
      }
      // Still full only if another reader claimed the oldest slot and has not yet published it.
      Thread.yield();
    }
  }

  /** Replays buffered reads and reclaims what has expired. Lock held. */
  private void maintain() {
    drainReads();
    if (expires) {
      expireEntries(ticker.read(), false);
    }
  }

  private void reclaimOnRead(Node n) {
    // Best effort: if another thread holds the lock, the entry is reclaimed later anyway and is
    // never returned meanwhile.
    if (lock.tryLock()) {
      try {
        maintain();
        if (n.alive && hasExpired(n, ticker.read())) {
          removeNode(n, RemovalCause.EXPIRED);
        }
      } finally {
        unlockAndNotify();
      }
    }
  }

  private void drainReads() {
    if (readBuffer != null) {
      readBuffer.drain(applyRead);
    }
  }

  /** Applies one buffered read. Lock held. */
  private void applyRead(Node n) {
    if (!n.alive) {
      return;
    }
    order.onRead(n);
    if (ownAccessQueue) {
      accessQueue.moveToLast(n);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writes, eviction and expiry (lock held)

  private void stampTimes(Node n, long now, long lifetime) {
    if (expireAfterWrite != UNSET) {
      n.writeTime = now;
    }
    if (expireAfterAccess != UNSET) {
      n.setAccessTime(now);
    }
    if (entryExpiry != null) {
      n.variableDeadline = now + (lifetime == UNSET ? MAX_LIFETIME : lifetime);
    }
  }

  private void linkForExpiry(Node n, long lifetime, boolean inserted) {
    if (ownWriteQueue) {
      if (inserted) {
        writeQueue.addLast(n);
      } else {
        writeQueue.moveToLast(n);
      }
    }
    if (ownAccessQueue) {
      if (inserted) {
        accessQueue.addLast(n);
      } else {
        accessQueue.moveToLast(n);
      }
    }
    if (wheel != null) {
      if (lifetime == UNSET) {
        wheel.unschedule(n);
      } else {
        wheel.schedule(n);
      }
    }
  }

  private boolean overBound() {
    if (maximumWeight != UNSET) {
      return weight > maximumWeight;
    }
    return maximumSize != UNSET && size > maximumSize;
  }

  /** Evicts in policy order until within the bound, sparing {@code written} until last. */
  private void evictBeyondBound(Node written) {
    while (overBound()) {
      Node victim = order.first();
      if (victim == written) {
        victim = order.after(written);
        if (victim == null) {
          victim = written;
        }
      }
      removeNode(victim, RemovalCause.SIZE);
    }
  }

  /**
   * Reclaims expired entries: the expired heads of the deadline-ordered queues, then the due
   * buckets of the wheel. Each entry is removed once, so the cost is O(1) amortized per write.
   */
  private void expireEntries(long now, boolean exhaustive) {
    if (writeQueue != null) {
      for (Node n = writeQueue.first(); n != null && now - n.writeTime >= expireAfterWrite;
          n = writeQueue.first()) {
        removeNode(n, RemovalCause.EXPIRED);
      }
    }
    if (accessQueue != null) {
      for (Node n = accessQueue.first(); n != null && now - n.accessTime() >= expireAfterAccess;
          n = accessQueue.first()) {
        removeNode(n, RemovalCause.EXPIRED);
      }
    }
    if (wheel != null) {
      wheel.advance(now, exhaustive, expireDue);
    }
  }

  private void removeNode(Node n, RemovalCause cause) {
    data.remove(n.key, n);
    n.alive = false;
    order.onRemove(n);
    if (ownWriteQueue) {
      writeQueue.remove(n);
    }
    if (ownAccessQueue) {
      accessQueue.remove(n);
    }
    if (wheel != null) {
      wheel.unschedule(n);
    }
    size--;
    weight -= n.weight;
    removed(n.key, n.value, cause);
  }

  private void removed(Object key, Object value, RemovalCause cause) {
    PendingRemovals p = pending;
    if (p == null) {
      p = new PendingRemovals();
      pending = p;
    }
    p.add(key, value, cause);
  }

  private void unlockAndNotify() {
    PendingRemovals p = pending;
    pending = null;
    lock.unlock();
    if (p != null) {
      p.notify(listener);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private boolean hasExpired(Node n, long now) {
    return (expireAfterWrite != UNSET && now - n.writeTime >= expireAfterWrite)
        || (expireAfterAccess != UNSET && now - n.accessTime() >= expireAfterAccess)
        || (entryExpiry != null && now - n.variableDeadline >= 0);
  }

  private long weigh(Object key, Object value) {
    if (weigher == null) {
      return 1;
    }
    long w = weigher.weigh(key, value);
    if (w < 0) {
      throw new IllegalArgumentException("weigher returned a negative weight: " + w);
    }
    return w;
  }

  /** The entry's own lifetime, capped; {@code UNSET} when the expiry gives none (any negative). */
  private long lifetime(Object key, Object value) {
    long life = entryExpiry.expireAfterWriteNanos(key, value);
    return life < 0 ? UNSET : Math.min(life, MAX_LIFETIME);
  }

  private static Object requireKey(Object key) {
    return Objects.requireNonNull(key, "key must not be null");
  }
}
