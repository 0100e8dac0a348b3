package dev.cachet.disk;

import java.util.ArrayList;
import java.util.List;

/** What one group commit collects while it runs. */
final class Batch {
  /** Side files to delete after the commit. */
  final List<String> doomed = new ArrayList<>();
  /** Ids written by this batch: they go last in eviction. */
  final List<Long> written = new ArrayList<>();
  final long[] counts = new long[Counter.values().length];
  final long now;
  private final DiskStoreOptions options;

  Batch(DiskStoreOptions options) {
    this.options = options;
    this.now = options.clock().millis();
  }

  /** Notes an entry this batch stored, for eviction, the only reader of the list. */
  void wrote(long id) {
    if (options.maximumBytes() > 0) {
      written.add(id);
    }
  }
}
