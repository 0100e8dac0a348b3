/**
 * Micrometer binders for Cachet: {@link dev.cachet.micrometer.CachetCacheMetrics} (caches),
 * {@link dev.cachet.micrometer.CachetTierMetrics} (the disk and Redis tiers) and
 * {@link dev.cachet.micrometer.LlmCacheMetrics} (the LLM cache of the optional cachet-llm).
 *
 * <p>cachet-llm ({@code dev.cachet.llm}) is required statically: only
 * {@code LlmCacheMetrics} needs it, and an application that has an {@code LlmCache} to pass it
 * has that module already.
 */
// Micrometer ships an automatic module, with a stable Automatic-Module-Name; the binders
// implement its MeterBinder, hence the transitive requires.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cachet.micrometer {
  requires transitive dev.cachet.core;
  requires transitive micrometer.core;
  requires static dev.cachet.llm;

  exports dev.cachet.micrometer;
}
