package dev.cachet.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Every latency of one operation type, kept exactly (one long per operation) rather than in a
 * histogram: a cell measures at most a few million operations, so the samples fit in memory,
 * and exact percentiles computed the same way here and in {@code diskcache_mixed.py}
 * (nearest rank over sorted nanoseconds) leave nothing to bucket boundaries. Not thread-safe:
 * one per worker, merged afterwards.
 */
final class DiskMixedLatencies {
  private long[] nanos;
  private int size;
  private boolean sorted;

  /**
   * An empty set of samples.
   *
   * @param capacity room to reserve, so that the measured loop never grows the array
   */
  DiskMixedLatencies(int capacity) {
    nanos = new long[Math.max(16, capacity)];
  }

  /**
   * Adds one sample.
   *
   * @param n nanoseconds
   */
  void add(long n) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = n;
    sorted = false;
  }

  /**
   * Adds every sample of another set.
   *
   * @param other the samples to add; unchanged
   */
  void addAll(DiskMixedLatencies other) {
    if (size + other.size > nanos.length) {
      nanos = Arrays.copyOf(nanos, size + other.size);
    }
    System.arraycopy(other.nanos, 0, nanos, size, other.size);
    size += other.size;
    sorted = false;
  }

  /** How many samples. */
  int count() {
    return size;
  }

  /**
   * A percentile by the nearest-rank method: the smallest sample that at least {@code p}
   * percent of the samples do not exceed.
   *
   * @param p from 0 (exclusive) to 100
   * @return microseconds, or null without samples
   */
  Double percentileMicros(double p) {
    if (size == 0) {
      return null;
    }
    if (!sorted) {
      Arrays.sort(nanos, 0, size);
      sorted = true;
    }
    int rank = (int) Math.ceil(p / 100.0 * size);
    int index = Math.min(size - 1, Math.max(0, rank - 1));
    return nanos[index] / 1000.0;
  }

  /**
   * The mean, which with a skewed distribution (Ehcache's heap hits against its disk reads)
   * is what a throughput reflects, where the median may not.
   *
   * @return microseconds, or null without samples
   */
  Double meanMicros() {
    if (size == 0) {
      return null;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += nanos[i];
    }
    return sum / size / 1000.0;
  }

  /**
   * Writes the samples for another process to read.
   *
   * @param out the stream
   * @throws IOException if writing fails
   */
  void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(size);
    for (int i = 0; i < size; i++) {
      out.writeLong(nanos[i]);
    }
  }

  /**
   * Reads samples written by {@link #writeTo}.
   *
   * @param in the stream
   * @return the samples
   * @throws IOException if reading fails
   */
  static DiskMixedLatencies readFrom(DataInputStream in) throws IOException {
    int n = in.readInt();
    DiskMixedLatencies l = new DiskMixedLatencies(n);
    for (int i = 0; i < n; i++) {
      l.nanos[i] = in.readLong();
    }
    l.size = n;
    return l;
  }
}
