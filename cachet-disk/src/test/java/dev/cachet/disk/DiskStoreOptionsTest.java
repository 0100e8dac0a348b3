package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The settings of a disk store: the documented defaults, each setting kept as given and not
 * disturbing the others, and values refused exactly beyond their limits (docs/TESTING.md:
 * written for mutation testing of {@link DiskStoreOptions}).
 */
class DiskStoreOptionsTest {

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    DiskStoreOptions d = DiskStoreOptions.defaults();
    assertThat(d.maximumBytes()).isZero();
    assertThat(d.eviction()).isEqualTo(EvictionMode.LEAST_RECENTLY_STORED);
    assertThat(d.sideFileThreshold()).isEqualTo(64 * 1024)
        .isEqualTo(DiskStoreOptions.DEFAULT_SIDE_FILE_THRESHOLD);
    assertThat(d.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.accessFlushReads()).isEqualTo(262_144);
    assertThat(d.accessFlushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.sweepLimit()).isEqualTo(64);
    assertThat(d.clock()).isEqualTo(Clock.systemUTC());
    assertThat(d.removeOrphansOnOpen()).isTrue();
    assertThat(d.recoverCorruptDatabase()).isTrue();
    assertThat(d.writeBehind()).isEqualTo(Duration.ofMillis(20));
    assertThat(d.durability()).isEqualTo(Durability.PROCESS_CRASH);
    assertThat(d.groupAccess()).isFalse();
    assertThat(d.readCacheBytes()).isEqualTo(8L << 20);
    assertThat(d.readCacheStaleness()).isEqualTo(Duration.ofMillis(1));
    assertThat(DiskStoreOptions.builder().build().toString()).isEqualTo(d.toString());
  }

  @Test
  void everySettingIsKeptAsGiven() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC);
    DiskStoreOptions o = DiskStoreOptions.builder().maximumBytes(1_000_000)
        .eviction(EvictionMode.LFU).sideFileThreshold(100).busyTimeout(Duration.ofMillis(250))
        .accessFlush(7, Duration.ofMillis(30)).sweepLimit(3).clock(clock)
        .removeOrphansOnOpen(false).recoverCorruptDatabase(false)
        .writeBehind(Duration.ofMillis(5)).durability(Durability.POWER_LOSS).groupAccess(true)
        .readCache(1024, Duration.ofMillis(2)).build();
    assertThat(o.maximumBytes()).isEqualTo(1_000_000);
    assertThat(o.eviction()).isEqualTo(EvictionMode.LFU);
    assertThat(o.sideFileThreshold()).isEqualTo(100);
    assertThat(o.busyTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.accessFlushReads()).isEqualTo(7);
    assertThat(o.accessFlushInterval()).isEqualTo(Duration.ofMillis(30));
    assertThat(o.sweepLimit()).isEqualTo(3);
    assertThat(o.clock()).isSameAs(clock);
    assertThat(o.removeOrphansOnOpen()).isFalse();
    assertThat(o.recoverCorruptDatabase()).isFalse();
    assertThat(o.writeBehind()).isEqualTo(Duration.ofMillis(5));
    assertThat(o.durability()).isEqualTo(Durability.POWER_LOSS);
    assertThat(o.groupAccess()).isTrue();
    assertThat(o.readCacheBytes()).isEqualTo(1024);
    assertThat(o.readCacheStaleness()).isEqualTo(Duration.ofMillis(2));
    assertThat(o.toString()).contains("maximumBytes=1000000", "eviction=LFU",
        "sideFileThreshold=100", "busyTimeout=PT0.25S", "writeBehind=PT0.005S",
        "durability=POWER_LOSS", "groupAccess=true", "readCacheBytes=1024",
        "readCacheStaleness=PT0.002S");
  }

  @Test
  void limitsAreAcceptedAtTheirBoundsAndRefusedBeyond() {
    DiskStoreOptions zeros = DiskStoreOptions.builder().maximumBytes(0).sideFileThreshold(0)
        .busyTimeout(Duration.ZERO).accessFlush(1, Duration.ZERO).sweepLimit(0)
        .writeBehind(Duration.ZERO).readCache(0, Duration.ZERO).build();
    assertThat(zeros.maximumBytes()).isZero();
    assertThat(zeros.sideFileThreshold()).isZero();
    assertThat(zeros.busyTimeout()).isZero();
    assertThat(zeros.accessFlushReads()).isEqualTo(1);
    assertThat(zeros.sweepLimit()).isZero();
    assertThat(zeros.writeBehind()).isZero();
    assertThat(zeros.readCacheBytes()).isZero();
    assertThat(zeros.readCacheStaleness()).isZero();

    DiskStoreOptions highest = DiskStoreOptions.builder()
        .busyTimeout(Duration.ofMillis(Integer.MAX_VALUE)).writeBehind(Duration.ofMinutes(1))
        .readCache(1, Duration.ofSeconds(1)).build();
    assertThat(highest.busyTimeout()).isEqualTo(Duration.ofMillis(Integer.MAX_VALUE));
    assertThat(highest.writeBehind()).isEqualTo(Duration.ofMinutes(1));
    assertThat(highest.readCacheStaleness()).isEqualTo(Duration.ofSeconds(1));

    DiskStoreOptions.Builder b = DiskStoreOptions.builder();
    assertRefused(() -> b.maximumBytes(-1), "maximumBytes");
    assertRefused(() -> b.sideFileThreshold(-1), "sideFileThreshold");
    assertRefused(() -> b.busyTimeout(Duration.ofMillis(-1)), "busyTimeout");
    assertRefused(() -> b.busyTimeout(Duration.ofMillis(Integer.MAX_VALUE + 1L)), "busyTimeout");
    assertRefused(() -> b.accessFlush(0, Duration.ofSeconds(1)), "reads");
    assertRefused(() -> b.sweepLimit(-1), "sweepLimit");
    assertRefused(() -> b.writeBehind(Duration.ofMillis(-1)), "writeBehind");
    assertRefused(() -> b.writeBehind(Duration.ofMinutes(1).plusNanos(1)), "writeBehind");
    assertRefused(() -> b.readCache(-1, Duration.ZERO), "readCache bytes");
    assertRefused(() -> b.readCache(0, Duration.ofMillis(-1)), "readCache staleness");
    assertRefused(() -> b.readCache(0, Duration.ofSeconds(1).plusNanos(1)),
        "readCache staleness");

    assertThatThrownBy(() -> b.eviction(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.durability(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.writeBehind(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.readCache(0, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.accessFlush(1, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("interval");

    // A refused value leaves the builder as it was.
    DiskStoreOptions after = b.build();
    assertThat(after.maximumBytes()).isZero();
    assertThat(after.sideFileThreshold()).isEqualTo(DiskStoreOptions.DEFAULT_SIDE_FILE_THRESHOLD);
    assertThat(after.accessFlushReads()).isEqualTo(262_144);
    assertThat(after.writeBehind()).isEqualTo(Duration.ofMillis(20));
    assertThat(after.readCacheBytes()).isEqualTo(8L << 20);
  }

  private static void assertRefused(Runnable setting, String message) {
    assertThatThrownBy(setting::run).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
