package dev.cachet.tier;

import java.util.Objects;

/**
 * One invalidation, as it travels between processes on an {@link InvalidationBus} and as the
 * audit log records it: what was dropped, why, by whom and when.
 *
 * @param scope what the invalidation covers
 * @param namespace the memoized function's namespace, for {@link Scope#KEY} and
 *     {@link Scope#NAMESPACE}; null otherwise
 * @param digest the key's digest, for {@link Scope#KEY}; null otherwise
 * @param tag the tag, for {@link Scope#TAG}; null otherwise
 * @param reason why, in the user's words or the library's ("invalidate", "cacheClear", ...);
 *     never null
 * @param origin the process that invalidated ({@code pid@host}), filled in by the bus; null
 *     before publishing
 * @param atMillis when it happened, epoch millis
 */
public record Invalidation(Scope scope, String namespace, String digest, String tag,
    String reason, String origin, long atMillis) {

  /** What an invalidation covers. */
  public enum Scope {
    /** One entry of one namespace. */
    KEY,
    /** Every entry of one namespace. */
    NAMESPACE,
    /** Every entry carrying one tag. */
    TAG,
    /** Everything, for example when a process cannot tell what it missed while disconnected. */
    ALL
  }

  /** Checks that the fields the scope needs are present. */
  public Invalidation {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(reason, "reason");
    switch (scope) {
      case KEY -> {
        Objects.requireNonNull(namespace, "a KEY invalidation needs a namespace");
        Objects.requireNonNull(digest, "a KEY invalidation needs a digest");
      }
      case NAMESPACE -> Objects.requireNonNull(namespace, "a NAMESPACE invalidation needs a namespace");
      case TAG -> Objects.requireNonNull(tag, "a TAG invalidation needs a tag");
      case ALL -> {
      }
    }
  }

  /** One entry, dropped now for {@code reason}. */
  public static Invalidation key(String namespace, String digest, String reason) {
    return new Invalidation(Scope.KEY, namespace, digest, null, reason, null,
        System.currentTimeMillis());
  }

  /** A whole namespace, dropped now for {@code reason}. */
  public static Invalidation namespace(String namespace, String reason) {
    return new Invalidation(Scope.NAMESPACE, namespace, null, null, reason, null,
        System.currentTimeMillis());
  }

  /** Every entry tagged {@code tag}, dropped now for {@code reason}. */
  public static Invalidation tag(String tag, String reason) {
    return new Invalidation(Scope.TAG, null, null, tag, reason, null, System.currentTimeMillis());
  }

  /** Everything, dropped now for {@code reason}. */
  public static Invalidation all(String reason) {
    return new Invalidation(Scope.ALL, null, null, null, reason, null, System.currentTimeMillis());
  }

  /** This invalidation as sent by {@code origin}. */
  public Invalidation withOrigin(String origin) {
    return new Invalidation(scope, namespace, digest, tag, reason, origin, atMillis);
  }
}
