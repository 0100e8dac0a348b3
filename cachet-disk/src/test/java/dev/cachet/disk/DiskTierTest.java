package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk tier's configuration: each setting is kept exactly as given whatever the order,
 * limits that would store nothing are refused, and Cachet opens a disk store with it (found by
 * the configuration's type, like the {@code disk(Path)} shortcut).
 */
class DiskTierTest {
  @TempDir
  Path dir;

  @Test
  void defaultsFollowMemoryWithoutASizeLimit() {
    DiskTier tier = DiskTier.in(dir);
    assertThat(tier.directory()).isEqualTo(dir);
    assertThat(tier.expireAfterWrite()).isNull();
    assertThat(tier.maximumBytes()).isZero();
    assertThat(tier.eviction()).isEqualTo(EvictionMode.LEAST_RECENTLY_STORED);
    assertThat(tier.durability()).isEqualTo(Durability.PROCESS_CRASH);
    assertThat(tier.groupAccess()).isFalse();
    assertThat(tier.shared()).isFalse();
    assertThat(tier.describe()).isEqualTo("disk:" + dir);
  }

  @Test
  void eachSetterKeepsTheOthersAndReachesTheStoreOptions() {
    DiskTier tier = DiskTier.in(dir).maximumBytes(1L << 30).eviction(EvictionMode.LFU)
        .durability(Durability.POWER_LOSS).groupAccess(true)
        .expireAfterWrite(Duration.ofDays(7));
    assertThat(tier.maximumBytes()).isEqualTo(1L << 30);
    assertThat(tier.eviction()).isEqualTo(EvictionMode.LFU);
    assertThat(tier.durability()).isEqualTo(Durability.POWER_LOSS);
    assertThat(tier.groupAccess()).isTrue();
    assertThat(tier.expireAfterWrite()).isEqualTo(Duration.ofDays(7));

    DiskTier reversed = DiskTier.in(dir).expireAfterWrite(Duration.ofDays(7)).groupAccess(true)
        .durability(Durability.POWER_LOSS).eviction(EvictionMode.LFU).maximumBytes(1);
    assertThat(reversed.maximumBytes()).isEqualTo(1);
    assertThat(reversed.expireAfterWrite()).isEqualTo(Duration.ofDays(7));
    assertThat(reversed.eviction()).isEqualTo(EvictionMode.LFU);
    assertThat(reversed.durability()).isEqualTo(Durability.POWER_LOSS);
    assertThat(reversed.groupAccess()).isTrue();

    DiskStoreOptions options = tier.storeOptions();
    assertThat(options.maximumBytes()).isEqualTo(1L << 30);
    assertThat(options.eviction()).isEqualTo(EvictionMode.LFU);
    assertThat(options.durability()).isEqualTo(Durability.POWER_LOSS);
    assertThat(options.groupAccess()).isTrue();
  }

  @Test
  void limitsThatWouldStoreNothingAreRefused() {
    assertThatThrownBy(() -> DiskTier.in(dir).maximumBytes(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leave it unset");
    assertThatThrownBy(() -> DiskTier.in(dir).maximumBytes(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiskTier.in(dir).expireAfterWrite(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiskTier.in(null)).isInstanceOf(NullPointerException.class);
  }

  private static final java.util.concurrent.atomic.AtomicInteger CALLS =
      new java.util.concurrent.atomic.AtomicInteger();

  private static Integer twice(Integer x) {
    CALLS.incrementAndGet();
    return 2 * x;
  }

  @Test
  void cachetOpensTheDiskStoreOfATypedTierAndOfTheShortcutAlike() {
    Path store = dir.resolve("store");
    int before = CALLS.get();
    try (Cachet cachet = Cachet.builder()
        .tier(DiskTier.in(store).maximumBytes(1L << 20).expireAfterWrite(Duration.ofDays(1)))
        .build()) {
      assertThat(cachet.tiers()).singleElement().isInstanceOf(DiskStore.class);
      MemoizedFunction<Integer, Integer> f = cachet.memoize("twice", DiskTierTest::twice);
      assertThat(f.apply(21)).isEqualTo(42);
    }
    assertThat(Files.exists(store.resolve("cachet.db"))).isTrue();

    try (Cachet cachet = Cachet.builder().disk(store).build()) {
      assertThat(cachet.tiers()).singleElement().isInstanceOf(DiskStore.class);
      MemoizedFunction<Integer, Integer> f = cachet.memoize("twice", DiskTierTest::twice);
      assertThat(f.apply(21)).isEqualTo(42);
    }
    assertThat(CALLS.get() - before).as("the second Cachet read the first one's disk tier")
        .isEqualTo(1);
  }
}
