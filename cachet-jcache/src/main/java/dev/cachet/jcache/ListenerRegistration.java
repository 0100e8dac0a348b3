package dev.cachet.jcache;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * One registered listener: its filter, whether it wants old values, and (for an asynchronous
 * one) its own queue, drained in order on the manager's executor, so that it sees the events of
 * a key in the order they happened while never holding up the caller.
 */
final class ListenerRegistration<K, V> {
  private static final System.Logger LOG =
      System.getLogger(ListenerRegistration.class.getName());

  final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final boolean oldValueRequired;
  private final boolean synchronous;
  private final Executor executor;
  private final ArrayDeque<List<CachetEntryEvent<K, V>>> queue = new ArrayDeque<>();
  private boolean draining;

  ListenerRegistration(CacheEntryListenerConfiguration<K, V> configuration, Executor executor) {
    this.configuration = configuration;
    this.listener = configuration.getCacheEntryListenerFactory().create();
    this.filter = configuration.getCacheEntryEventFilterFactory() == null ? null
        : configuration.getCacheEntryEventFilterFactory().create();
    this.oldValueRequired = configuration.isOldValueRequired();
    this.synchronous = configuration.isSynchronous();
    this.executor = executor;
  }

  /**
   * Delivers one operation's events: at once on this thread for a synchronous listener (its
   * exception reaches the caller as a {@link CacheEntryListenerException}), queued otherwise.
   */
  void deliver(List<CachetEntryEvent<K, V>> events) {
    List<CachetEntryEvent<K, V>> mine = new ArrayList<>(events.size());
    for (CachetEntryEvent<K, V> e : events) {
      if (wants(e.getEventType()) && (filter == null || filter.evaluate(e))) {
        mine.add(oldValueRequired ? e : e.withoutOldValue());
      }
    }
    if (mine.isEmpty()) {
      return;
    }
    if (synchronous) {
      call(mine);
      return;
    }
    synchronized (queue) {
      queue.add(mine);
      if (draining) {
        return;
      }
      draining = true;
    }
    executor.execute(this::drain);
  }

  private void drain() {
    while (true) {
      List<CachetEntryEvent<K, V>> next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        call(next);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "asynchronous cache entry listener "
            + listener.getClass().getName() + " failed", e);
      }
    }
  }

  private boolean wants(EventType type) {
    return switch (type) {
      case CREATED -> listener instanceof CacheEntryCreatedListener;
      case UPDATED -> listener instanceof CacheEntryUpdatedListener;
      case REMOVED -> listener instanceof CacheEntryRemovedListener;
      case EXPIRED -> listener instanceof CacheEntryExpiredListener;
    };
  }

  /** Calls the listener once per run of events of one type, in order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void call(List<CachetEntryEvent<K, V>> events) {
    try {
      int i = 0;
      while (i < events.size()) {
        EventType type = events.get(i).getEventType();
        int j = i;
        while (j < events.size() && events.get(j).getEventType() == type) {
          j++;
        }
        Iterable batch = List.copyOf(events.subList(i, j));
        switch (type) {
          case CREATED -> ((CacheEntryCreatedListener) listener).onCreated(batch);
          case UPDATED -> ((CacheEntryUpdatedListener) listener).onUpdated(batch);
          case REMOVED -> ((CacheEntryRemovedListener) listener).onRemoved(batch);
          case EXPIRED -> ((CacheEntryExpiredListener) listener).onExpired(batch);
        }
        i = j;
      }
    } catch (CacheEntryListenerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheEntryListenerException("cache entry listener "
          + listener.getClass().getName() + " failed: " + e, e);
    }
  }

  void close() {
    if (listener instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not close listener " + listener, e);
      }
    }
  }
}
