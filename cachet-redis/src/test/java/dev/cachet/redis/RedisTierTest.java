package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Redis tier's configuration: shared, each setting kept whatever the order, and no password
 * in messages.
 */
class RedisTierTest {

  @Test
  void aRedisTierIsSharedAndKeepsItsLifetimeAndUri() {
    RedisTier tier = RedisTier.at("redis://127.0.0.1:6379?prefix=orders");
    assertThat(tier.shared()).isTrue();
    assertThat(tier.expireAfterWrite()).isNull();

    CoherenceSettings longLog = CoherenceSettings.defaults().logMaxLength(100_000);
    RedisTier hour = tier.coherence(longLog).expireAfterWrite(Duration.ofHours(1));
    assertThat(hour.expireAfterWrite()).isEqualTo(Duration.ofHours(1));
    assertThat(hour.coherence()).isSameAs(longLog);
    assertThat(hour.uri()).isEqualTo("redis://127.0.0.1:6379?prefix=orders");
    assertThat(hour.coherence(CoherenceSettings.defaults()).expireAfterWrite())
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void itsDescriptionNeverShowsThePassword() {
    RedisTier tier = RedisTier.at("redis://app:s3cret@cache.internal:6379/2");
    assertThat(tier.describe()).startsWith("redis:redis://app:***@cache.internal:6379")
        .doesNotContain("s3cret");
    assertThat(tier.toString()).doesNotContain("s3cret");
  }

  @Test
  void aMissingUriIsRefusedWithAnExample() {
    assertThatThrownBy(() -> RedisTier.at(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("redis://127.0.0.1:6379");
  }
}
