package dev.cachet.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What every tier configuration shares, through {@link StoreTier}: its lifetime is kept exactly
 * as given, a lifetime that would store nothing is refused, and a store with an invalidation bus
 * is a shared tier. (The disk tier's size limit is tested in cachet-disk's DiskTierTest.)
 */
class TierConfigTest {

  @Test
  void aTierFollowsMemoryUntilGivenItsOwnLifetime() {
    MapStore store = new MapStore();
    StoreTier tier = StoreTier.of(store);
    assertThat(tier.expireAfterWrite()).isNull();
    assertThat(tier.store()).isSameAs(store);

    StoreTier week = tier.expireAfterWrite(Duration.ofDays(7));
    assertThat(week.expireAfterWrite()).isEqualTo(Duration.ofDays(7));
    assertThat(week.store()).isSameAs(store);
    assertThat(tier.expireAfterWrite()).as("the original is unchanged").isNull();
    assertThat(week.toString()).contains(store.describe()).contains("PT168H");
    assertThat(tier.toString()).isEqualTo(store.describe())
        .doesNotContain("expireAfterWrite");
  }

  @Test
  void lifetimesThatWouldStoreNothingAreRefused() {
    StoreTier tier = StoreTier.of(new MapStore());
    assertThatThrownBy(() -> tier.expireAfterWrite(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> tier.expireAfterWrite(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tier.expireAfterWrite(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("leave it unset");
    assertThatThrownBy(() -> StoreTier.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aStoreWithAnInvalidationBusIsShared() {
    assertThat(StoreTier.of(new MapStore()).shared()).isFalse();
    assertThat(StoreTier.of(new HeapServer().connect()).shared()).isTrue();
  }
}
