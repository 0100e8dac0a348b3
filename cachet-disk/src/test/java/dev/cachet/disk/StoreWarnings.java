package dev.cachet.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what {@link DiskStore} logs (through java.util.logging), for tests that check it. */
final class StoreWarnings extends Handler {
  private final Logger logger = Logger.getLogger(DiskStore.class.getName());
  private final List<LogRecord> records = new ArrayList<>();

  void start() {
    logger.addHandler(this);
  }

  void stop() {
    logger.removeHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }

  /** The messages logged at WARNING or above, each followed by its exception if it has one. */
  synchronized List<String> messages() {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(r -> r.getMessage() + (r.getThrown() == null ? "" : " | " + r.getThrown()))
        .toList();
  }
}
