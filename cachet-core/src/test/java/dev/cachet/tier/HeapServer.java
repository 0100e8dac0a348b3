package dev.cachet.tier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An in-process stand-in for a shared server (what Redis is to a fleet), so the core's
 * coherence and fleet single-flight logic can be tested without a network: every
 * {@link #connect()} is one "process" with its own origin, seeing the same entries, the same
 * invalidation bus and the same locks. The Redis module runs the same scenarios against a real
 * server.
 */
public final class HeapServer {
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final List<Invalidation> log = new CopyOnWriteArrayList<>();
  /** The log oldest first; a position is an index into it. */
  private final List<Invalidation> history = new CopyOnWriteArrayList<>();
  private final Map<String, String> locks = new ConcurrentHashMap<>();
  private final AtomicInteger origins = new AtomicInteger();
  /** How many times a lock was taken, to check that one process led. */
  public final AtomicLong leads = new AtomicLong();
  /** How many callers wait right now for another process's lease, so tests need not sleep. */
  public final AtomicInteger waiting = new AtomicInteger();

  /** A stored entry. */
  public record Entry(byte[] frame, long expiresAt, List<String> tags) {
  }

  /** A new client: one "process" of the fleet. */
  public Client connect() {
    Client c = new Client("proc-" + origins.incrementAndGet());
    clients.add(c);
    return c;
  }

  /** Simulates a disconnection after which the log does not reach back: every client flushes. */
  public void announceGap() {
    for (Client c : clients) {
      c.deliver(Invalidation.all("invalidation log gap after disconnection"));
    }
  }

  /** One process's view: a {@link Store} with a bus and a fleet flight. */
  public final class Client implements Store, InvalidationBus, FleetFlight {
    private final String origin;
    private final List<Consumer<Invalidation>> receivers = new CopyOnWriteArrayList<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    Client(String origin) {
      this.origin = origin;
    }

    void deliver(Invalidation inv) {
      receivers.forEach(r -> r.accept(inv));
    }

    @Override
    public String describe() {
      return "heap-server";
    }

    @Override
    public byte[] get(String namespace, String digest) {
      Entry e = entries.get(namespace + "/" + digest);
      if (e == null || (e.expiresAt != 0 && e.expiresAt <= System.currentTimeMillis())) {
        misses.incrementAndGet();
        return null;
      }
      hits.incrementAndGet();
      return e.frame;
    }

    @Override
    public void put(String namespace, String digest, byte[] frame, long expiresAtMillis,
        List<String> tags) {
      writes.incrementAndGet();
      entries.put(namespace + "/" + digest, new Entry(frame, expiresAtMillis, List.copyOf(tags)));
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
      entries.values().removeIf(e -> e.tags.contains(tag));
      return before - entries.size();
    }

    @Override
    public void clear() {
      entries.clear();
    }

    @Override
    public List<String> digests(String namespace, int limit) {
      List<String> out = new ArrayList<>();
      for (String k : entries.keySet()) {
        if (k.startsWith(namespace + "/") && out.size() < limit) {
          out.add(k.substring(namespace.length() + 1));
        }
      }
      return out;
    }

    @Override
    public StoreStats stats() {
      return new StoreStats(entries.size(), 0, hits.get(), misses.get(), writes.get(), 0, 0, 0, 0);
    }

    @Override
    public Optional<InvalidationBus> invalidationBus() {
      return Optional.of(this);
    }

    @Override
    public Optional<FleetFlight> fleetFlight() {
      return Optional.of(this);
    }

    @Override
    public void publish(Invalidation invalidation) {
      Invalidation sent = invalidation.withOrigin(origin);
      log.add(0, sent);
      history.add(sent);
      for (Client other : clients) {
        if (other != this) {
          other.deliver(sent);
        }
      }
    }

    @Override
    public String position() {
      return Integer.toString(history.size());
    }

    @Override
    public boolean replayFrom(String position) {
      int from = Integer.parseInt(position);
      for (Invalidation inv : history.subList(Math.min(from, history.size()), history.size())) {
        if (!origin.equals(inv.origin())) {
          deliver(inv);
        }
      }
      return true;
    }

    @Override
    public void subscribe(Consumer<Invalidation> receiver) {
      receivers.add(receiver);
    }

    @Override
    public List<Invalidation> recent(int limit) {
      return List.copyOf(log.subList(0, Math.min(limit, log.size())));
    }

    @Override
    public Lease tryLead(String namespace, String digest) {
      String lockKey = namespace + "/" + digest;
      if (locks.putIfAbsent(lockKey, origin) != null) {
        return null;
      }
      leads.incrementAndGet();
      return () -> {
        synchronized (locks) {
          locks.remove(lockKey, origin);
          locks.notifyAll();
        }
      };
    }

    @Override
    public boolean awaitRelease(String namespace, String digest, Duration maxWait) {
      String lockKey = namespace + "/" + digest;
      long deadline = System.nanoTime() + maxWait.toNanos();
      waiting.incrementAndGet();
      try {
        synchronized (locks) {
          while (locks.containsKey(lockKey)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              return false;
            }
            try {
              TimeUnit.NANOSECONDS.timedWait(locks, left);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
          }
        }
        return true;
      } finally {
        waiting.decrementAndGet();
      }
    }

    @Override
    public void close() {
      clients.remove(this);
    }
  }
}
