package dev.cachet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * The measured loop: replays operation streams on a contender, timing each operation, in the
 * calling thread or in several threads that start together.
 */
final class DiskMixedReplay {
  private DiskMixedReplay() {
  }

  /**
   * Replays one stream in the calling thread until it ends or {@code capNanos} have passed,
   * whichever comes first. Slow stores thus replay a prefix of the same sequence that fast
   * ones replay whole: the same operations, in the same order, as far as each got.
   *
   * @param contender the store
   * @param ops the run's keys and values
   * @param stream the operations
   * @param capNanos the longest the replay may take; {@code Long.MAX_VALUE} for no limit
   * @return what happened
   */
  static DiskMixedTally replay(DiskMixedContender contender, DiskMixedOps ops, int[] stream,
      long capNanos) {
    int sets = 0;
    for (int op : stream) {
      sets += op >>> 31;
    }
    // Room for every sample up front: growing an array mid-run would show up as latency.
    DiskMixedTally t = new DiskMixedTally(stream.length - sets, sets);
    String[] keys = ops.keys();
    int variants = ops.valueVariants();
    long start = System.nanoTime();
    // Saturating: an uncapped replay passes Long.MAX_VALUE, and the sum must not wrap around.
    long deadline = capNanos > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + capNanos;
    long end = start;
    for (int i = 0; i < stream.length; i++) {
      int op = stream[i];
      String key = keys[op & DiskMixedOps.KEY_MASK];
      boolean set = op < 0;
      boolean hit = true;
      long t0 = System.nanoTime();
      try {
        if (set) {
          contender.set(key, i % variants);
        } else {
          hit = contender.get(key);
        }
      } catch (RuntimeException e) {
        t.errors++;
        if (t.firstError == null) {
          String text = e.toString();
          t.firstError = text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
        }
      }
      end = System.nanoTime();
      if (set) {
        t.sets++;
        t.setNanos.add(end - t0);
      } else {
        t.gets++;
        t.getNanos.add(end - t0);
        if (!hit) {
          t.misses++;
        }
      }
      t.ops++;
      if (end >= deadline) {
        break;
      }
    }
    t.elapsedNanos = end - start;
    return t;
  }

  /**
   * Replays one stream per thread, the threads starting together, and merges their tallies.
   *
   * @param contender the store, shared by the threads
   * @param ops the run's keys and values
   * @param streams one stream per thread
   * @param capNanos the longest each thread may replay
   * @return the merged tally
   * @throws InterruptedException if interrupted while waiting for the threads
   */
  static DiskMixedTally threads(DiskMixedContender contender, DiskMixedOps ops,
      List<int[]> streams, long capNanos) throws InterruptedException {
    if (streams.size() == 1) {
      return replay(contender, ops, streams.get(0), capNanos);
    }
    ops.keys(); // built before the barrier, not by the first thread through it
    CyclicBarrier start = new CyclicBarrier(streams.size());
    DiskMixedTally[] tallies = new DiskMixedTally[streams.size()];
    Throwable[] failures = new Throwable[streams.size()];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      int index = i;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          tallies[index] = replay(contender, ops, streams.get(index), capNanos);
        } catch (Throwable e) {
          failures[index] = e;
        }
      }, "disk-mixed-" + i);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    for (Throwable f : failures) {
      if (f != null) {
        throw new IllegalStateException("A replay thread failed: " + f, f);
      }
    }
    return DiskMixedTally.merge(List.of(tallies));
  }
}
