package dev.cachet.spring;

/**
 * What a {@link CachetSpringCache} keeps in its Cachet cache: the value, possibly null. Cachet's
 * {@code getIfPresent} answers null both for an absent key and for a cached null, while Spring
 * must tell them apart; wrapping every value makes a present entry never null. Being a record,
 * it is written to the tiers below memory as {@code {"value": ...}} and read back into the
 * declared value type.
 *
 * <p>Cache settings that look at values receive this wrapper: a {@code cacheIf} predicate, a
 * {@link dev.cachet.Weigher} or an {@link dev.cachet.Expiry} given to
 * {@link CachetCacheManager.Builder#cache} reads the cached value with {@link #value()}.
 *
 * @param value the cached value; null for a cached null
 * @param <T> the value type
 */
public record StoredValue<T>(T value) {
}
