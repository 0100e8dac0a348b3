package dev.cachet.micrometer;

import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmCacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Binds the statistics of an {@link LlmCache} (cachet-llm, an optional dependency of this
 * module: only this class needs it) to a Micrometer registry, every meter tagged
 * {@code cache=<name>} plus the given tags:
 *
 * <ul>
 *   <li>{@code cachet.llm.lookups} tagged
 *       {@code result=exact-hit|semantic-hit|miss|bypassed}: how each lookup ended
 *       ({@code bypassed}: skipped by policy, such as sampled requests);
 *   <li>{@code cachet.llm.guard.rejections}: similar prompts the semantic guard refused;
 *   <li>{@code cachet.llm.stores} tagged {@code result=stored|refused}: answers stored, or not
 *       stored (incomplete, truncated, errors);
 *   <li>{@code cachet.llm.semantic.entries}: prompts in the in-memory vector indexes.
 * </ul>
 *
 * <p>The cache is referenced weakly: binding never keeps a discarded cache alive.
 */
// "exports": LlmCache's module is required statically, not transitively (module-info.java).
@SuppressWarnings("exports")
public final class LlmCacheMetrics implements MeterBinder {
  private static final String LOOKUPS =
      "LLM cache lookups by outcome: exact hit, semantic hit, miss, or bypassed by policy";
  private static final String STORES = "Answers stored, or refused (incomplete, truncated, errors)";

  private final WeakReference<LlmCache> cacheRef;
  private final Tags tags;

  static {
    // The module descriptor's "requires static" reads dev.cachet.llm when it is resolved; this
    // also reads cachet-llm when it is on the class path while this module is on the module
    // path. A no-op on the class path.
    try {
      LlmCacheMetrics.class.getModule().addReads(Class.forName("dev.cachet.llm.LlmCache", false,
          LlmCacheMetrics.class.getClassLoader()).getModule());
    } catch (ClassNotFoundException absent) {
      // Without cachet-llm there is no LlmCache to pass to this class.
    }
  }

  /**
   * A binder for one LLM cache.
   *
   * @param llmCache the cache; held weakly; not null
   * @param cacheName the value of the {@code cache} tag (such as the name given to
   *     {@code LlmCache.Builder.name}); not null
   * @param tags tags added to every meter; null for none
   */
  public LlmCacheMetrics(LlmCache llmCache, String cacheName, Iterable<Tag> tags) {
    this.cacheRef = new WeakReference<>(Objects.requireNonNull(llmCache, "llmCache"));
    this.tags = Tags.concat(tags, "cache", Objects.requireNonNull(cacheName, "cacheName"));
  }

  /**
   * Binds the meters of {@code llmCache} to {@code registry}.
   *
   * @param registry where to register them; not null
   * @param llmCache the cache; not null
   * @param cacheName the value of the {@code cache} tag; not null
   * @param tags extra tags as key-value pairs; an even number
   * @return {@code llmCache}, for chaining
   * @throws IllegalArgumentException when {@code tags} has an odd number of elements
   */
  public static LlmCache monitor(MeterRegistry registry, LlmCache llmCache, String cacheName,
      String... tags) {
    new LlmCacheMetrics(llmCache, cacheName, Tags.of(tags)).bindTo(registry);
    return llmCache;
  }

  /**
   * Registers the meters; nothing when the cache has already been discarded.
   *
   * @param registry where to register them; not null
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    LlmCache cache = cacheRef.get();
    if (cache == null) {
      return;
    }
    counter(registry, cache, "cachet.llm.lookups", "result", "exact-hit",
        LlmCacheStats::exactHits, LOOKUPS);
    counter(registry, cache, "cachet.llm.lookups", "result", "semantic-hit",
        LlmCacheStats::semanticHits, LOOKUPS);
    counter(registry, cache, "cachet.llm.lookups", "result", "miss",
        LlmCacheStats::misses, LOOKUPS);
    counter(registry, cache, "cachet.llm.lookups", "result", "bypassed",
        LlmCacheStats::bypassed, LOOKUPS);
    FunctionCounter.builder("cachet.llm.guard.rejections", cache,
            c -> c.stats().guardRejections())
        .tags(tags)
        .description("Prompts above the similarity threshold that the semantic guard rejected")
        .register(registry);
    FunctionCounter.builder("cachet.llm.verifier.rejections", cache,
            c -> c.stats().verifierRejections())
        .tags(tags)
        .description("Semantic candidates that passed the guard and the verifier rejected")
        .register(registry);
    counter(registry, cache, "cachet.llm.stores", "result", "stored",
        LlmCacheStats::stores, STORES);
    counter(registry, cache, "cachet.llm.stores", "result", "refused",
        LlmCacheStats::storeRefusals, STORES);
    Gauge.builder("cachet.llm.semantic.entries", cache, c -> c.stats().semanticEntries())
        .tags(tags)
        .description("Prompts currently in the in-memory vector indexes")
        .register(registry);
  }

  private void counter(MeterRegistry registry, LlmCache cache, String name, String key,
      String value, ToLongFunction<LlmCacheStats> count, String description) {
    FunctionCounter.builder(name, cache, c -> count.applyAsLong(c.stats()))
        .tags(tags)
        .tag(key, value)
        .description(description)
        .register(registry);
  }
}
