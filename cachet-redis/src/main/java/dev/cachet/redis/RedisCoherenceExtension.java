package dev.cachet.redis;

import dev.cachet.tier.FleetFlight;
import dev.cachet.tier.Invalidation;
import dev.cachet.tier.InvalidationBus;
import dev.cachet.tier.InvalidationCounts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Gives every {@link RedisStore} its invalidation bus and fleet single-flight (found by the
 * store with {@link java.util.ServiceLoader}), over the store's own connections and prefix.
 *
 * <p>The store may open while Redis is down. Then the bus and the single-flight it attaches are
 * placeholders at first ({@code tryLead} lets the caller compute locally; publishes are kept,
 * up to {@value RedisInvalidationBus#MAX_UNSENT}), and they start in the background as soon as
 * Redis answers: the kept invalidations are published then (more than that many: one
 * invalidation of everything instead). Because invalidations published meanwhile by other
 * processes were missed, a late start also delivers one {@link Invalidation.Scope#ALL}
 * invalidation to this process's receivers.
 *
 * <p>The bus also keeps the store itself coherent: another process's namespace removal makes it
 * forget its cached namespace version, and an ALL makes it forget them all.
 */
public final class RedisCoherenceExtension implements RedisStoreExtension {
  private static final System.Logger LOG =
      System.getLogger(RedisCoherenceExtension.class.getName());

  /** The reason of the invalidation delivered when the bus could only start late. */
  public static final String LATE_START_REASON =
      "invalidation bus started after Redis became reachable";

  /** Creates the extension; {@link java.util.ServiceLoader} calls this. */
  public RedisCoherenceExtension() {
  }

  @Override
  public void extend(RedisStore store) {
    RedisStoreOptions options = store.options();
    CoherenceSettings settings = options.coherence()
        .resolve(options.prefix(), options.commandTimeout());
    Deferred deferred = new Deferred(store, settings);
    store.attachCoherence(deferred.bus, deferred.flight, deferred);
    deferred.start();
  }

  /**
   * The coherence services of one store: started at once when Redis answers, else retried in
   * the background with a growing delay (1 s, doubling, at most 30 s).
   */
  static final class Deferred implements AutoCloseable {
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    private final RedisStore store;
    private final CoherenceSettings settings;
    private final List<Consumer<Invalidation>> receivers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Published before the bus started; guarded by {@code this}. */
    private final List<Invalidation> kept = new java.util.ArrayList<>();
    private boolean keptOverflow;
    private final AtomicBoolean keptLogged = new AtomicBoolean();
    private volatile RedisCoherence started;
    private ScheduledExecutorService retries;
    private long retryMillis = FIRST_RETRY_MILLIS;
    final InvalidationBus bus = new Bus();
    final FleetFlight flight = new Flight();

    Deferred(RedisStore store, CoherenceSettings settings) {
      this.store = store;
      this.settings = settings;
      // The store's own receiver: its cached namespace versions must follow other processes.
      receivers.add(this::keepStoreCoherent);
    }

    private void keepStoreCoherent(Invalidation i) {
      switch (i.scope()) {
        case NAMESPACE -> store.forgetNamespaceVersion(i.namespace());
        case ALL -> store.forgetNamespaceVersions();
        default -> {
        }
      }
    }

    /** The running services, or null while Redis has not been reachable. */
    RedisCoherence started() {
      return started;
    }

    void start() {
      if (tryStart(false)) {
        return;
      }
      synchronized (this) {
        if (closed.get()) {
          return;
        }
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "cachet-coherence-start");
          t.setDaemon(true);
          return t;
        });
        retries.schedule(this::retry, retryMillis, TimeUnit.MILLISECONDS);
      }
    }

    private void retry() {
      if (closed.get() || tryStart(true)) {
        synchronized (this) {
          retries.shutdown();
        }
        return;
      }
      retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
      synchronized (this) {
        if (!closed.get()) {
          retries.schedule(this::retry, retryMillis, TimeUnit.MILLISECONDS);
        }
      }
    }

    /** Starts the services if Redis answers; {@code late} after a first failed attempt. */
    private boolean tryStart(boolean late) {
      RedisCoherence coherence;
      try {
        if (late) {
          // The store connects only when one of its calls probes Redis; an idle store would
          // never start the bus, so this nudges it (no-op when connected or connecting).
          long wait = store.options().connectTimeout().toMillis() + 1000;
          store.connections().connectAsync().get(wait, TimeUnit.MILLISECONDS);
        } else if (store.connections().commands() == null) {
          throw new IllegalStateException("not connected to Redis");
        }
        coherence = RedisCoherence.over(store.links(), settings);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException e) {
        return false;
      } catch (RuntimeException e) {
        if (!late) {
          LOG.log(System.Logger.Level.WARNING, store.describe() + ": the invalidation bus and "
              + "fleet single-flight cannot start yet (" + e.getMessage() + "); retrying in the "
              + "background, other processes' invalidations are not received meanwhile");
        }
        return false;
      }
      synchronized (this) {
        if (closed.get()) {
          coherence.close();
          return true;
        }
        for (Consumer<Invalidation> r : receivers) {
          coherence.bus().subscribe(r);
        }
        started = coherence;
        // Under the lock, so that nothing published meanwhile is sent before these.
        if (keptOverflow) {
          coherence.bus().publish(Invalidation.all(RedisInvalidationBus.OVERFLOW_REASON));
        } else {
          kept.forEach(coherence.bus()::publish);
        }
        kept.clear();
        keptOverflow = false;
      }
      if (late) {
        LOG.log(System.Logger.Level.INFO, store.describe() + ": the invalidation bus started; "
            + "flushing the local tiers, which may have missed invalidations meanwhile");
        coherence.bus().deliverLocally(Invalidation.all(LATE_START_REASON));
      }
      return true;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      synchronized (this) {
        if (retries != null) {
          retries.shutdownNow();
        }
        if (started != null) {
          started.close();
        }
      }
    }

    /** The bus as the store offers it: the real one once started. */
    private final class Bus implements InvalidationBus {
      @Override
      public void publish(Invalidation invalidation) {
        RedisCoherence c = started;
        if (c == null) {
          synchronized (Deferred.this) {
            c = started;
            if (c == null) {
              if (kept.size() < RedisInvalidationBus.MAX_UNSENT) {
                kept.add(invalidation);
              } else {
                keptOverflow = true;
              }
            }
          }
        }
        if (c != null) {
          c.bus().publish(invalidation);
        } else if (keptLogged.compareAndSet(false, true)) {
          LOG.log(System.Logger.Level.WARNING, store.describe() + ": Redis has not been "
              + "reachable since the store opened; invalidations are kept and sent to the "
              + "other processes once it is (first: " + invalidation + ")");
        }
      }

      @Override
      public void subscribe(Consumer<Invalidation> receiver) {
        synchronized (Deferred.this) {
          receivers.add(receiver);
          if (started != null) {
            started.bus().subscribe(receiver);
          }
        }
      }

      @Override
      public List<Invalidation> recent(int limit) {
        RedisCoherence c = started;
        return c != null ? c.bus().recent(limit) : List.of();
      }

      @Override
      public String position() {
        RedisCoherence c = started;
        return c != null ? c.bus().position() : null;
      }

      @Override
      public InvalidationCounts counts() {
        RedisCoherence c = started;
        // Before the bus starts nothing has been sent or received (kept ones are not sent yet).
        return c != null ? c.bus().counts() : InvalidationCounts.NONE;
      }

      @Override
      public boolean replayFrom(String position) {
        RedisCoherence c = started;
        // Not started yet (Redis unreachable): nothing can be replayed now, so the caller
        // flushes its local stores rather than serve what may have been invalidated.
        return c != null && c.bus().replayFrom(position);
      }

      @Override
      public void close() {
        Deferred.this.close();
      }

      @Override
      public String toString() {
        RedisCoherence c = started;
        return "RedisInvalidationBus[" + store.describe() + (c != null ? ", origin "
            + c.bus().origin() : ", not started") + "]";
      }
    }

    /** The single-flight as the store offers it: the real one once started. */
    private final class Flight implements FleetFlight {
      @Override
      public Lease tryLead(String namespace, String digest) {
        RedisCoherence c = started;
        if (c == null || closed.get()) {
          return () -> {
          };
        }
        return c.fleetFlight().tryLead(namespace, digest);
      }

      @Override
      public boolean awaitRelease(String namespace, String digest, Duration maxWait) {
        RedisCoherence c = started;
        return c != null && !closed.get()
            && c.fleetFlight().awaitRelease(namespace, digest, maxWait);
      }
    }
  }
}
