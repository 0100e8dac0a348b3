package dev.cachet.cli.simulate;

import java.util.Arrays;

/**
 * The keys of a trace as its reader finds them, in a growable primitive array: traces run to
 * millions of accesses, and boxing each key while reading would multiply the memory needed.
 */
final class KeyBuffer {
  /** The largest array the JVM reliably allocates: a few words below Integer.MAX_VALUE. */
  static final int MAX_KEYS = Integer.MAX_VALUE - 8;

  private final String shown;
  private long[] keys = new long[1 << 16];
  private int size;

  /**
   * Creates an empty buffer.
   *
   * @param shown the trace file as the user named it, for the error when it is too long
   */
  KeyBuffer(String shown) {
    this.shown = shown;
  }

  /** Appends one access of {@code key}. */
  void add(long key) throws TraceException {
    if (size == keys.length) {
      grow();
    }
    keys[size++] = key;
  }

  /** The number of keys added so far. */
  int size() {
    return size;
  }

  /** The keys added, in order, in an array of their own. */
  long[] toArray() {
    return Arrays.copyOf(keys, size);
  }

  private void grow() throws TraceException {
    if (size == MAX_KEYS) {
      throw new TraceException(shown, 0, "trace " + shown + " holds more than " + MAX_KEYS
          + " accesses, more than the simulator can hold; replay a part of it (split the"
          + " file)", null);
    }
    keys = Arrays.copyOf(keys, (int) Math.min(MAX_KEYS, 2L * keys.length));
  }
}
