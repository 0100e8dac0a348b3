package dev.cachet.memo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The duration texts users write in annotations ({@code ttl = "250us"}, {@code "PT5S"}) mean
 * exactly what they say, and a zero lifetime is refused rather than read as "never cache".
 * Written for the mutants PIT found surviving in {@link Durations} (docs/TESTING.md).
 */
class DurationTextTest {

  @Test
  void everyShortUnitHasItsOwnScale() {
    assertThat(Durations.parse("ttl", "7ns")).isEqualTo(Duration.ofNanos(7));
    assertThat(Durations.parse("ttl", "250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Durations.parse("ttl", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("ttl", " 5 s ")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("ttl", "10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("ttl", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("ttl", "1d")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void isoTextIsAccepted() {
    assertThat(Durations.parse("ttl", "PT1M30S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void zeroAndNegativeLifetimesAreRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> Durations.parse("expireAfterWrite", "0s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expireAfterWrite").hasMessageContaining("longer than zero");
    assertThatThrownBy(() -> Durations.parse("ttl", "PT0S"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than zero");
    assertThatThrownBy(() -> Durations.parse("ttl", "PT-5S"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than zero");
    assertThatThrownBy(() -> Durations.parse("ttl", "soon"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a duration");
  }
}
