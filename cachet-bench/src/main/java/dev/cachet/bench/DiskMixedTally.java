package dev.cachet.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What one worker (a thread, or a worker process) did while replaying one stream: counts,
 * the time it took, and every latency. Workers' tallies merge into a cell's.
 */
final class DiskMixedTally {
  long ops;
  long gets;
  long sets;
  /** Gets that found nothing: every key is present, so any miss is a fault of the store. */
  long misses;
  /** Operations that threw. */
  long errors;
  /** The first exception's text, for the report. */
  String firstError;
  /** From the worker's first operation to the end of its last one. */
  long elapsedNanos;
  /**
   * Deferred work finished after the last operation (Cachet's write-behind journal and
   * buffered access times), which the cell's time includes: it is work the operations caused.
   */
  long settleNanos;
  /** Failures the store counted without throwing; known only where a worker closes a store. */
  long storeFailures;
  /** Whether the store closed cleanly; known only where a worker closes a store. */
  boolean closed = true;
  final DiskMixedLatencies getNanos;
  final DiskMixedLatencies setNanos;

  /**
   * An empty tally.
   *
   * @param getCapacity gets to reserve room for
   * @param setCapacity sets to reserve room for
   */
  DiskMixedTally(int getCapacity, int setCapacity) {
    getNanos = new DiskMixedLatencies(getCapacity);
    setNanos = new DiskMixedLatencies(setCapacity);
  }

  /**
   * Workers' tallies as one. The elapsed time is the longest worker's: the workers started
   * together, so the cell lasted that long, and dividing all operations by it gives the
   * throughput the store sustained while all of them ran.
   *
   * @param parts the workers' tallies
   * @return the sum
   */
  static DiskMixedTally merge(List<DiskMixedTally> parts) {
    DiskMixedTally m = new DiskMixedTally(
        parts.stream().mapToInt(p -> p.getNanos.count()).sum(),
        parts.stream().mapToInt(p -> p.setNanos.count()).sum());
    for (DiskMixedTally p : parts) {
      m.ops += p.ops;
      m.gets += p.gets;
      m.sets += p.sets;
      m.misses += p.misses;
      m.errors += p.errors;
      if (m.firstError == null) {
        m.firstError = p.firstError;
      }
      m.elapsedNanos = Math.max(m.elapsedNanos, p.elapsedNanos);
      m.settleNanos = Math.max(m.settleNanos, p.settleNanos);
      m.storeFailures += p.storeFailures;
      m.closed &= p.closed;
      m.getNanos.addAll(p.getNanos);
      m.setNanos.addAll(p.setNanos);
    }
    return m;
  }

  /**
   * Writes the tally for the parent process.
   *
   * @param file where
   * @throws IOException if writing fails
   */
  void writeTo(Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
        Files.newOutputStream(file), 1 << 16))) {
      out.writeLong(ops);
      out.writeLong(gets);
      out.writeLong(sets);
      out.writeLong(misses);
      out.writeLong(errors);
      out.writeLong(elapsedNanos);
      out.writeLong(settleNanos);
      out.writeLong(storeFailures);
      out.writeBoolean(closed);
      out.writeUTF(firstError == null ? "" : firstError);
      getNanos.writeTo(out);
      setNanos.writeTo(out);
    }
  }

  /**
   * Reads a tally written by {@link #writeTo}.
   *
   * @param file the file
   * @return the tally
   * @throws IOException if reading fails
   */
  static DiskMixedTally readFrom(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file), 1 << 16))) {
      long ops = in.readLong();
      long gets = in.readLong();
      long sets = in.readLong();
      long misses = in.readLong();
      long errors = in.readLong();
      long elapsed = in.readLong();
      long settle = in.readLong();
      long storeFailures = in.readLong();
      boolean closed = in.readBoolean();
      String firstError = in.readUTF();
      DiskMixedLatencies g = DiskMixedLatencies.readFrom(in);
      DiskMixedLatencies s = DiskMixedLatencies.readFrom(in);
      DiskMixedTally t = new DiskMixedTally(0, 0);
      t.ops = ops;
      t.gets = gets;
      t.sets = sets;
      t.misses = misses;
      t.errors = errors;
      t.elapsedNanos = elapsed;
      t.settleNanos = settle;
      t.storeFailures = storeFailures;
      t.closed = closed;
      t.firstError = firstError.isEmpty() ? null : firstError;
      t.getNanos.addAll(g);
      t.setNanos.addAll(s);
      return t;
    }
  }
}
