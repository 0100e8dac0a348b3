/**
 * Micrometer binders for Cachet: {@link dev.cachet.micrometer.CachetCacheMetrics} (caches),
 * {@link dev.cachet.micrometer.CachetTierMetrics} (the disk and Redis tiers) and
 * {@link dev.cachet.micrometer.LlmCacheMetrics} (the LLM cache of the optional cachet-llm).
 *
 * <p>cachet-llm is not required here: it has no module name of its own yet (its jar would be
 * the automatic module of its file name, its class folder in a build no module at all), so
 * {@code LlmCacheMetrics} is compiled against it on the class path and reads its module, when
 * there is one, once it is first used.
 */
// Micrometer ships an automatic module, with a stable Automatic-Module-Name; the binders
// implement its MeterBinder, hence the transitive requires.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cachet.micrometer {
  requires transitive dev.cachet.core;
  requires transitive micrometer.core;

  exports dev.cachet.micrometer;
}
