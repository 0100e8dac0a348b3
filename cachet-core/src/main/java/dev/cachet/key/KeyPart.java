package dev.cachet.key;

/**
 * Implemented by argument types that know their own stable cache key. Cachet uses the returned
 * value in place of the object when it builds keys, so a type Cachet cannot read (a connection,
 * a handle, a class with hidden state) can still be an argument.
 *
 * <pre>{@code
 * record Tenant(String id, Connection db) implements KeyPart {
 *   public Object keyPart() { return id; }   // the connection does not change the answer
 * }
 * }</pre>
 */
@FunctionalInterface
public interface KeyPart {

  /**
   * The value that stands for this object in cache keys: any value Cachet accepts as an
   * argument (strings, numbers, records, collections...), possibly null. It must be the same
   * for objects that should share cached results.
   *
   * @return the value that stands for this object; must not be {@code this}
   */
  Object keyPart();
}
