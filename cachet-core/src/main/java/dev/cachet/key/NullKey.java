package dev.cachet.key;

/**
 * The snapshot of {@code null}. Keys go into {@code ConcurrentHashMap}, which rejects null, so
 * null arguments are mapped to this single instance.
 */
final class NullKey {
  /** The only instance; equality is identity. */
  static final NullKey INSTANCE = new NullKey();

  private NullKey() {
  }

  @Override
  public int hashCode() {
    // A fixed arbitrary constant rather than the identity hash, so hashes of compound keys that
    // contain null are the same from run to run (handy when debugging).
    return 0x6e756c6c;
  }

  @Override
  public String toString() {
    return "null";
  }
}
