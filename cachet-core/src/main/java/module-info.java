/**
 * Cachet's core: the public API ({@link dev.cachet.Cachet}, {@link dev.cachet.CacheSpec},
 * {@link dev.cachet.Cache}), memoized functions, keys, statistics and events, and the SPI that
 * the tiers below memory implement ({@link dev.cachet.tier.Store} over
 * {@link dev.cachet.codec.EntryFrame}).
 *
 * <p>The memoization engine ({@code dev.cachet.memo}), the memory engine
 * ({@code dev.cachet.memory}) and the code and type fingerprints ({@code dev.cachet.fingerprint})
 * are not exported: users reach them only through {@code Cachet} and the {@code Memoized*} types
 * it hands out, which live in {@code dev.cachet}. The JCache provider builds its caches on the
 * memory engine directly, so that package is exported to it alone.
 *
 * <p>On the module path, memoized functions and the types of their keys and results are read
 * reflectively (key fields, record components, the lambda's {@code writeReplace}, JSON for the
 * tiers): open their packages to {@code dev.cachet.core} and, for the JSON codec, to
 * {@code com.fasterxml.jackson.databind}.
 */
// "module": the qualified export names a module built after this one.
@SuppressWarnings("module")
module dev.cachet.core {
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.github.benmanes.caffeine;
  requires org.objectweb.asm;

  exports dev.cachet;
  exports dev.cachet.key;
  exports dev.cachet.stats;
  exports dev.cachet.tier;
  exports dev.cachet.codec;
  exports dev.cachet.memory to dev.cachet.jcache;

  // The disk and Redis modules provide the stores of their DiskTier and RedisTier, which
  // Cachet.builder().tier(...), .disk(...) and .redis(...) open by configuration type.
  uses dev.cachet.tier.StoreProvider;
}
