package dev.cachet.key;

/**
 * Immutable, type-aware structural snapshots of values, the in-memory form of cache keys.
 *
 * <p>A snapshot has value-based {@code equals}/{@code hashCode} (hashes of compound keys are
 * precomputed) and does not change when the original value is mutated later. Supported values
 * and their keys:
 * <ul>
 *   <li>{@code null}: a non-null sentinel ({@link #NULL}), since keys go into maps that reject
 *       null;
 *   <li>{@code String}, {@code Boolean}, {@code Character}, {@code UUID}, enums, {@code Class},
 *       and the {@code java.time} values (Instant, LocalDate, LocalTime, LocalDateTime,
 *       OffsetTime, OffsetDateTime, ZonedDateTime, Duration, Period, Year, YearMonth, MonthDay,
 *       ZoneOffset, ZoneId): themselves, as they are immutable with a correct {@code equals};
 *   <li>numbers (byte, short, int, long, float, double, BigInteger, BigDecimal): normalized; with
 *       {@code typed=false}, {@code 1}, {@code 1L}, {@code 1.0}, {@code BigInteger.ONE} and
 *       {@code new BigDecimal("1.00")} are one key; with {@code typed=true} the Java types stay
 *       apart, but {@code -0.0}/{@code 0.0}, NaNs and BigDecimal scales are still folded;
 *   <li>arrays, lists, sets, maps, {@code Optional} (and OptionalInt/Long/Double): copies of
 *       their elements' snapshots; every List implementation gives the same key for equal
 *       elements (likewise Set and Map), but an array, a list and a set never equal each other;
 *   <li>records (class plus component names and values) and other classes outside the JDK (by
 *       their non-static, non-transient fields, superclasses included);
 *   <li>{@link KeyPart} implementations: the snapshot of {@link KeyPart#keyPart()}.
 * </ul>
 *
 * <p>Anything else, in particular JDK classes outside that list (threads, locks, streams,
 * connections, executors...) and lambdas, fails with a {@link KeyException}. Cyclic structures
 * are supported: an object met again among its own ancestors is keyed as a back-reference to
 * the ancestor's level. Walks are bounded by {@link #MAX_DEPTH} and {@link #MAX_NODES}.
 *
 * <p>Snapshots are what {@link CanonicalEncoding} and {@link KeyDigest} turn into stable
 * bytes. {@code of} is idempotent: the snapshot of a snapshot is an equal snapshot.
 */
public final class KeySnapshot {

  /** Deepest nesting accepted, counted in levels below the argument itself. */
  public static final int MAX_DEPTH = 256;

  /** Most values (of every kind, leaves included) one call's arguments may hold. */
  public static final int MAX_NODES = 1_000_000;

  /** The snapshot of {@code null}. */
  public static final Object NULL = NullKey.INSTANCE;

  private KeySnapshot() {
  }

  /**
   * The immutable structural snapshot of {@code value}. A String is returned as is, without
   * allocation.
   *
   * @param value any supported value, possibly null
   * @param typed whether numbers of different Java types stay apart
   * @return the snapshot, never null
   * @throws KeyException when the value, or something inside it, has no stable key
   */
  public static Object of(Object value, boolean typed) {
    Object simple = Snapshotter.simple(value, typed);
    return simple != null ? simple : new Snapshotter(typed, null, "value").root(value);
  }

  /**
   * The untyped snapshot of {@code value}: {@code of(value, false)}.
   *
   * @param value any supported value, possibly null
   * @return the snapshot, never null
   * @throws KeyException when the value, or something inside it, has no stable key
   */
  public static Object of(Object value) {
    return of(value, false);
  }
}
