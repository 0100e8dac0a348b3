package dev.cachet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface method whose results {@link Cachet#proxy(Class, Object)} caches. Each
 * annotated method gets its own cache; settings left at their defaults inherit the
 * {@link Cachet}'s.
 *
 * <pre>{@code
 * interface Knowledge {
 *   @Memoize(ttl = "5s", maximumSize = 128)
 *   String search(String query);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Memoize {

  /** The cache's name; defaults to {@code SimpleInterfaceName.methodName}. */
  String name() default "";

  /** A version to bump when results must be recomputed though the code did not change. */
  String version() default "";

  /**
   * Time to live after write, such as {@code "500ms"}, {@code "5s"}, {@code "10m"}, {@code "2h"},
   * {@code "1d"} or ISO-8601 {@code "PT5S"}; empty inherits.
   */
  String ttl() default "";

  /** Time to idle: expiry after the last access, in the same format as {@link #ttl()}. */
  String tti() default "";

  /** Entry bound for this method's cache; a negative value inherits. */
  long maximumSize() default -1;

  /** Eviction policy; empty inherits, otherwise exactly one value. */
  EvictionPolicy[] policy() default {};

  /** {@code true} keeps {@code 1}, {@code 1L} and {@code 1.0} apart; {@code false} inherits. */
  boolean typed() default false;

  /** Names of parameters left out of the key (the interface must be compiled with -parameters). */
  String[] ignore() default {};

  /** Zero-based positions of parameters left out of the key. */
  int[] ignoreIndex() default {};

  /** Tags for {@link Cachet#invalidateTag}; see {@link CacheSpec#tags}. */
  String[] tags() default {};

  /**
   * How long an expired entry is still served while one refresh runs in the background, such
   * as {@code "1m"}; needs {@link #ttl}. See {@link CacheSpec#staleWhileRevalidate}.
   */
  String staleWhileRevalidate() default "";

  /** Whether to refresh entries shortly before they expire (XFetch); see {@link CacheSpec#earlyRefresh()}. */
  boolean earlyRefresh() default false;
}
