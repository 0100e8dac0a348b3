package dev.cachet.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A tier's own limits are kept exactly as given, each setter keeps the other limit, and a limit
 * that would mean "store nothing" (zero or negative) is refused. Written for the mutants PIT
 * found surviving in {@link TierOptions} (docs/TESTING.md).
 */
class TierOptionsLimitsTest {

  @Test
  void defaultsFollowMemoryAndTheStoresOwnSize() {
    assertThat(TierOptions.defaults().expireAfterWrite()).isNull();
    assertThat(TierOptions.defaults().maximumBytes()).isZero();
  }

  @Test
  void eachSetterKeepsTheOtherLimit() {
    TierOptions both = TierOptions.defaults().maximumBytes(1L << 30)
        .expireAfterWrite(Duration.ofDays(7));
    assertThat(both.maximumBytes()).isEqualTo(1L << 30);
    assertThat(both.expireAfterWrite()).isEqualTo(Duration.ofDays(7));
    TierOptions reversed = TierOptions.defaults().expireAfterWrite(Duration.ofDays(7))
        .maximumBytes(1);
    assertThat(reversed.maximumBytes()).isEqualTo(1);
    assertThat(reversed.expireAfterWrite()).isEqualTo(Duration.ofDays(7));
    assertThat(reversed.toString()).contains("PT168H").contains("maximumBytes=1");
  }

  @Test
  void limitsThatWouldStoreNothingAreRefused() {
    assertThatThrownBy(() -> TierOptions.defaults().maximumBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TierOptions.defaults().maximumBytes(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TierOptions.defaults().expireAfterWrite(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TierOptions.defaults().expireAfterWrite(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
