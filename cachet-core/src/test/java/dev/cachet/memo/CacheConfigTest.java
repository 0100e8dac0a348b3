package dev.cachet.memo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.EvictionPolicy;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The settings object behind every builder: its defaults, copies that leave the original alone,
 * and what a Cachet's functions inherit from it.
 */
class CacheConfigTest {

  @Test
  void theDefaultsAreAdaptiveBoundedUntypedOnTheSystemClocks() {
    CacheConfig defaults = CacheConfig.defaults();
    assertThat(defaults.policy()).isEqualTo(EvictionPolicy.ADAPTIVE);
    assertThat(defaults.effectiveMaximumSize()).isEqualTo(CacheConfig.DEFAULT_MAXIMUM_SIZE);
    assertThat(defaults.unbounded()).isFalse();
    assertThat(defaults.with(CacheConfig.Mutable::noBound).unbounded()).isTrue();
    assertThat(defaults.typed()).isFalse();
    assertThat(defaults.clock()).isEqualTo(Clock.systemUTC());
    long before = System.nanoTime();
    assertThat(defaults.ticker().read()).as("the ticker reads System.nanoTime")
        .isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(System.nanoTime());
  }

  @Test
  void aCopyWithOneChangeLeavesTheOriginalAlone() {
    CacheConfig original = CacheConfig.defaults();
    Clock fixed = Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC);
    CacheConfig changed = original.with(m -> {
      m.policy = EvictionPolicy.LFU;
      m.typed = true;
      m.clock = fixed;
    });
    assertThat(changed.policy()).isEqualTo(EvictionPolicy.LFU);
    assertThat(changed.typed()).isTrue();
    assertThat(changed.clock()).isSameAs(fixed);
    assertThat(original.policy()).isEqualTo(EvictionPolicy.ADAPTIVE);
    assertThat(original.typed()).isFalse();
  }

  @Test
  void functionsInheritEverythingButWhatOnlyMakesSensePerFunction() {
    CacheConfig builder = CacheConfig.defaults().with(m -> {
      m.policy = EvictionPolicy.FIFO;
      m.bySize(42);
      m.expireAfterWrite = Duration.ofMinutes(5);
      m.version = "3";
      m.ignoredNames.add("log");
      m.ignoredIndexes.add(1);
      m.keyFunction = args -> args[0];
      m.cacheIf = v -> true;
      m.cacheExceptions = Duration.ofSeconds(1);
      m.tags.add("tenant-1");
      m.resultType = String.class;
    });
    CacheConfig inherited = builder.inheritable();
    assertThat(inherited.policy()).isEqualTo(EvictionPolicy.FIFO);
    assertThat(inherited.effectiveMaximumSize()).isEqualTo(42);
    assertThat(inherited.expireAfterWrite).isEqualTo(Duration.ofMinutes(5));
    assertThat(inherited.version).isEmpty();
    assertThat(inherited.ignoredNames).isEmpty();
    assertThat(inherited.ignoredIndexes).isEmpty();
    assertThat(inherited.keyFunction).isNull();
    assertThat(inherited.cacheIf).isNull();
    assertThat(inherited.cacheExceptions).isNull();
    assertThat(inherited.tags()).isEmpty();
    assertThat(inherited.resultType).isNull();
  }
}
