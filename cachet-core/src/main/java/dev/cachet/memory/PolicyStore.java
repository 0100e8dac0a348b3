package dev.cachet.memory;

import dev.cachet.EvictionPolicy;
import dev.cachet.Ticker;
import dev.cachet.stats.RemovalCause;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The memory store for the exact policies {@link EvictionPolicy#LRU},
 * {@link EvictionPolicy#LFU} and
 * {@link EvictionPolicy#FIFO}: evictions are exactly those of the textbook policy for any
 * single-threaded sequence of operations, every operation is O(1) (amortized for expiry), and
 * reads take no lock.
 *
 * <h2>How it works</h2>
 *
 * <ul>
 *   <li>Entries ({@link Node}s) live in a {@link ConcurrentHashMap}, which {@link #get} and
 *       {@link #peek} read without locking. Every change to the map and to the ordering
 *       structures happens under one lock, so there is a single, simple source of truth.
 *   <li>Each entry has a slot in a {@link SlotTable}; the eviction order, the expiry queues and
 *       the timer wheel are linked lists of slots kept in int arrays, so maintaining them stores
 *       no references (no garbage-collector barriers) and allocates nothing.
 *   <li>A read that matters to the policy (LRU and LFU when bounded, or any policy with time to
 *       idle) is appended to a striped {@link ReadBuffer}, which the lock holder replays in
 *       order: before every write, when a reader sees its ring filling up and the lock is free,
 *       and unconditionally when a ring is full, so no read is ever dropped. SHADOW_TUNED
 *       (see {@link EvictionOrder#mayDropReads}) is the exception: a reader whose ring is full
 *       while another thread drains skips recording rather than wait for the lock, and then
 *       records only a sample of its reads until it drains again without waiting
 *       ({@link ReadBuffer#contended}).
 *   <li>The {@link EvictionOrder} (a list for LRU and FIFO, frequency buckets for LFU) picks the
 *       victims after each write until the entry or weight bound holds again. The entry just
 *       written is considered last, so it is evicted only when it alone exceeds the bound.
 *   <li>Expiry: store-wide lifetimes keep their entries in queues whose order is their deadline
 *       order (write order for expire-after-write, access order for time to idle; the FIFO and
 *       LRU lists double as these queues), so reclaiming is popping expired heads. Per-entry
 *       lifetimes go into a {@link TimerWheel}. Reads compare the entry's own times with the
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
  private static final int NONE = SlotDeque.NONE;
  private static final int INITIAL_CAPACITY = 16;
  private static final int MAX_SLOTS = (Integer.MAX_VALUE - 8) / 3;

  private final StoreConfig config;
  private final ConcurrentHashMap<Object, Node> data = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final SlotTable table;
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
  private final ReadBuffer.Sink replay = this::replay;
  /** Whether a full ring may drop a read while another thread drains; see the order's doc. */
  private final boolean dropReadsWhenBusy;

  /** Slots in write order when expiring after write, else null; may be the FIFO list itself. */
  private final SlotDeque writeQueue;
  private final boolean ownWriteQueue;

  /** Slots in access order when expiring after access, else null; may be the LRU list itself. */
  private final SlotDeque accessQueue;
  private final boolean ownAccessQueue;

  /** Per-entry deadlines, when there is a per-entry expiry; else null. */
  private final TimerWheel wheel;
  private final TimerWheel.DueSink expireDue = this::expireSlot;

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
    this.ticker = config.ticker();
    this.listener = config.removalListener();
    this.weigher = config.weigher();
    this.entryExpiry = config.entryExpiry();
    this.maximumSize = config.maximumSize();
    this.maximumWeight = config.maximumWeight();
    this.expireAfterWrite = config.expireAfterWriteNanos();
    this.expireAfterAccess = config.expireAfterAccessNanos();
    this.expires = config.expires();

    // An entry bound of n never needs more than n + 1 slots: one is inserted, then one evicted.
    int capacity = maximumSize == UNSET
        ? INITIAL_CAPACITY : (int) Math.min(INITIAL_CAPACITY, maximumSize + 1);
    this.table = new SlotTable(capacity);
    this.order = EvictionOrder.of(config.policy(), capacity, maximumSize,
        slot -> table.get(slot).key.hashCode());

    SlotDeque list = order.list();
    if (expireAfterWrite == UNSET) {
      writeQueue = null;
      ownWriteQueue = false;
    } else {
      boolean shared = config.policy() == EvictionPolicy.FIFO;
      writeQueue = shared ? list : new SlotDeque(capacity);
      ownWriteQueue = !shared;
    }
    if (expireAfterAccess == UNSET) {
      accessQueue = null;
      ownAccessQueue = false;
    } else {
      boolean shared = config.policy() == EvictionPolicy.LRU;
      accessQueue = shared ? list : new SlotDeque(capacity);
      ownAccessQueue = !shared;
    }
    wheel = entryExpiry == null ? null : new TimerWheel(ticker.read(), capacity);
    boolean recordReads = (order.ordersReads() && config.bounded()) || expireAfterAccess != UNSET;
    readBuffer = recordReads ? new ReadBuffer() : null;
    // Time to idle needs every read: a dropped one could expire an entry in use.
    dropReadsWhenBusy = order.mayDropReads() && expireAfterAccess == UNSET;
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
      TimedNode t = (TimedNode) n;
      long now = ticker.read();
      if (hasExpired(t, now)) {
        reclaimOnRead(t);
        return null;
      }
      if (expireAfterAccess != UNSET) {
        t.setAccessTime(now);
      }
    }
    if (readBuffer != null) {
      recordRead(n.ticket);
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
    return expires && hasExpired((TimedNode) n, ticker.read()) ? null : value;
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
      if (n != null && expires && hasExpired((TimedNode) n, now)) {
        // Not replaced in place: a reader still holding the node must keep seeing it expired.
        removeNode(n, RemovalCause.EXPIRED);
        n = null;
      }
      if (n == null) {
        n = insert(key, value, w, now, lifetime);
      } else {
        replace(n, value, w, now, lifetime);
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
      if (expires && hasExpired((TimedNode) n, now)) {
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
      // Replaying reads is pointless now, but it empties the rings (stale tickets are ignored).
      drainReads();
      long now = expires ? ticker.read() : 0;
      for (Node n : data.values()) {
        boolean expired = expires && hasExpired((TimedNode) n, now);
        removed(n.key, n.value, expired ? RemovalCause.EXPIRED : RemovalCause.EXPLICIT);
      }
      data.clear();
      table.reset();
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

  /** {@inheritDoc} */
  @Override
  public java.util.Set<Object> keys() {
    return java.util.Collections.unmodifiableSet(data.keySet());
  }

  /** Names the policy and the current size and weight, for debugging. */
  @Override
  public String toString() {
    return "PolicyStore[" + config.policy() + ", size=" + size + ", weight=" + weight + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  private void recordRead(long ticket) {
    int result = readBuffer.offer(ticket);
    if (result == ReadBuffer.RECORDED) {
      return;
    }
    if (result == ReadBuffer.DRAIN_ADVISED) {
      // Otherwise someone holding the lock will drain, or the ring fills and we come back here.
      if (lock.tryLock()) {
        try {
          maintain();
        } finally {
          unlockAndNotify();
        }
        if (dropReadsWhenBusy) {
          readBuffer.uncontended();
        }
      }
      return;
    }
    if (dropReadsWhenBusy) {
      // A single thread always gets the lock here, so it loses no read and its evictions stay
      // deterministic; only a reader that would wait behind another thread's drain skips one,
      // and then samples its next reads (ReadBuffer.contended).
      if (lock.tryLock()) {
        try {
          maintain();
        } finally {
          unlockAndNotify();
        }
        readBuffer.offer(ticket);
      } else {
        readBuffer.contended();
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
      if (readBuffer.offer(ticket) != ReadBuffer.FULL) {
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

  private void reclaimOnRead(TimedNode n) {
    // Best effort: if another thread holds the lock, the entry is reclaimed later anyway and is
    // never returned meanwhile.
    if (lock.tryLock()) {
      try {
        maintain();
        if (table.holds(n) && hasExpired(n, ticker.read())) {
          removeNode(n, RemovalCause.EXPIRED);
        }
      } finally {
        unlockAndNotify();
      }
    }
  }

  /** For tests: the read buffer, or null when reads do not affect the store's state. */
  ReadBuffer readBuffer() {
    return readBuffer;
  }

  private void drainReads() {
    if (readBuffer != null) {
      readBuffer.drain(replay);
    }
  }

  /** Applies a buffered read to the eviction order and the time-to-idle queue. Lock held. */
  private void replay(long ticket) {
    // A read of an entry removed since is stale: its slot is free or belongs to another entry.
    if (table.forTicket(ticket) == null) {
      return;
    }
    int slot = (int) ticket;
    order.onRead(slot);
    if (ownAccessQueue) {
      accessQueue.moveToLast(slot);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writes, eviction and expiry (lock held)

  private Node insert(Object key, Object value, long w, long now, long lifetime) {
    if (table.full()) {
      growTo(nextCapacity());
    }
    long ticket = table.allocate();
    Node n = expires ? new TimedNode(key, value, w, ticket) : new Node(key, value, w, ticket);
    stampTimes(n, now, lifetime);
    table.set(n);
    data.put(key, n);
    size++;
    weight += w;
    int slot = n.slot();
    order.onInsert(slot);
    if (ownWriteQueue) {
      writeQueue.addLast(slot);
    }
    if (ownAccessQueue) {
      accessQueue.addLast(slot);
    }
    schedule(slot, n, lifetime);
    return n;
  }

  private void replace(Node n, Object value, long w, long now, long lifetime) {
    Object old = n.value;
    // Times before value: see get.
    stampTimes(n, now, lifetime);
    n.value = value;
    weight += w - n.weight;
    n.weight = w;
    int slot = n.slot();
    order.onReplace(slot);
    if (ownWriteQueue) {
      writeQueue.moveToLast(slot);
    }
    if (ownAccessQueue) {
      accessQueue.moveToLast(slot);
    }
    schedule(slot, n, lifetime);
    removed(n.key, old, RemovalCause.REPLACED);
  }

  private int nextCapacity() {
    long doubled = 2L * table.capacity();
    // Per-entry arrays hold up to three ints per slot and must stay indexable.
    long limit = Math.min(MAX_SLOTS, maximumSize == UNSET ? MAX_SLOTS : maximumSize + 1);
    long capacity = Math.min(doubled, limit);
    if (capacity <= table.capacity()) {
      throw new IllegalStateException("store cannot hold more than " + table.capacity()
          + " entries");
    }
    return (int) capacity;
  }

  private void growTo(int capacity) {
    table.grow(capacity);
    order.grow(capacity);
    if (ownWriteQueue) {
      writeQueue.grow(capacity);
    }
    if (ownAccessQueue) {
      accessQueue.grow(capacity);
    }
    if (wheel != null) {
      wheel.grow(capacity);
    }
  }

  private void stampTimes(Node n, long now, long lifetime) {
    if (!expires) {
      return;
    }
    TimedNode t = (TimedNode) n;
    if (expireAfterWrite != UNSET) {
      t.writeTime = now;
    }
    if (expireAfterAccess != UNSET) {
      t.setAccessTime(now);
    }
    if (entryExpiry != null) {
      t.variableDeadline = now + (lifetime == UNSET ? MAX_LIFETIME : lifetime);
    }
  }

  /** Puts {@code slot} on the wheel for its own lifetime, or takes it off when it has none. */
  private void schedule(int slot, Node n, long lifetime) {
    if (wheel == null) {
      return;
    }
    if (lifetime == UNSET) {
      wheel.unschedule(slot);
    } else {
      wheel.schedule(slot, ((TimedNode) n).variableDeadline);
    }
  }

  private boolean overBound() {
    if (maximumWeight != UNSET) {
      return weight > maximumWeight;
    }
    return maximumSize != UNSET && size > maximumSize;
  }

  /**
   * Evicts in policy order until within the bound, sparing {@code written} until last, except
   * that an entry heavier than the whole bound goes first: it can never fit, and evicting others
   * for it would only empty the store.
   */
  private void evictBeyondBound(Node written) {
    if (maximumWeight != UNSET && written.weight > maximumWeight) {
      removeNode(written, RemovalCause.SIZE);
    }
    int spared = written.slot();
    while (overBound()) {
      int victim = order.first();
      if (victim == spared) {
        victim = order.after(spared);
        if (victim == NONE) {
          victim = spared;
        }
      }
      removeNode(table.get(victim), RemovalCause.SIZE);
    }
  }

  /**
   * Reclaims expired entries: the expired heads of the deadline-ordered queues, then the due
   * buckets of the wheel. Each entry is removed once, so the cost is O(1) amortized per write.
   */
  private void expireEntries(long now, boolean exhaustive) {
    if (writeQueue != null) {
      for (int s = writeQueue.first();
          s != NONE && now - ((TimedNode) table.get(s)).writeTime >= expireAfterWrite;
          s = writeQueue.first()) {
        removeNode(table.get(s), RemovalCause.EXPIRED);
      }
    }
    if (accessQueue != null) {
      for (int s = accessQueue.first();
          s != NONE && now - ((TimedNode) table.get(s)).accessTime() >= expireAfterAccess;
          s = accessQueue.first()) {
        removeNode(table.get(s), RemovalCause.EXPIRED);
      }
    }
    if (wheel != null) {
      wheel.advance(now, exhaustive, expireDue);
    }
  }

  private void expireSlot(int slot) {
    removeNode(table.get(slot), RemovalCause.EXPIRED);
  }

  private void removeNode(Node n, RemovalCause cause) {
    int slot = n.slot();
    data.remove(n.key, n);
    order.onRemove(slot);
    if (ownWriteQueue) {
      writeQueue.remove(slot);
    }
    if (ownAccessQueue) {
      accessQueue.remove(slot);
    }
    if (wheel != null) {
      wheel.unschedule(slot);
    }
    table.release(n);
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

  private boolean hasExpired(TimedNode n, long now) {
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
