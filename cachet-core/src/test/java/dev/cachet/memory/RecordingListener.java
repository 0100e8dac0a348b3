package dev.cachet.memory;

import dev.cachet.stats.RemovalCause;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A removal listener that remembers what it was told. */
final class RecordingListener implements MemoryStore.RemovalListener {

  /** One notification. */
  record Event(Object key, Object value, RemovalCause cause) {
  }

  final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void onRemoval(Object key, Object value, RemovalCause cause) {
    events.add(new Event(key, value, cause));
  }

  List<Object> keys(RemovalCause cause) {
    return events.stream().filter(e -> e.cause() == cause).map(Event::key)
        .collect(Collectors.toList());
  }

  long count(RemovalCause cause) {
    return events.stream().filter(e -> e.cause() == cause).count();
  }

  void clear() {
    events.clear();
  }
}
