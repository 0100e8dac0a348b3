package dev.cachet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each tier keeps an entry for its own lifetime and not a moment longer: memory for a minute,
 * the tier below for ten (see {@link Tier#builder}). An entry past its lifetime is computed
 * again, by this process and by one that starts later, even while the store, going by its own
 * clock, still holds it.
 */
class ExpiryAcrossTiersTest {

  @TempDir
  Path temp;

  private final AtomicInteger calls = new AtomicInteger();

  private String lookup(String item) {
    calls.incrementAndGet();
    return "stock of " + item;
  }

  private MemoizedFunction<String, String> memoize(Cachet cachet) {
    return cachet.function("stock").expireAfterWrite(Duration.ofMinutes(1))
        .memoize(this::lookup);
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void everyTierHonoursItsLifetime(Tier tier) {
    String location = tier.location(temp);
    FakeTime time = new FakeTime();
    try (Cachet cachet = tier.builder(location).ticker(time).clock(time).build()) {
      MemoizedFunction<String, String> stock = memoize(cachet);
      assertThat(stock.apply("tea")).isEqualTo("stock of tea");
      assertThat(calls).hasValue(1);

      time.advance(Duration.ofSeconds(30));
      stock.apply("tea");
      assertThat(calls).as("memory holds it for a minute").hasValue(1);
      assertThat(stock.stats().hitsByTier().get("memory")).isEqualTo(1);

      time.advance(Duration.ofMinutes(2));
      stock.apply("tea");
      assertThat(calls).as("past memory's lifetime, the tier below still has it").hasValue(1);

      time.advance(Duration.ofMinutes(8)); // 10.5 minutes after the write
      assertThat(stock.apply("tea")).isEqualTo("stock of tea");
      assertThat(calls).as("past the tier's lifetime, it is computed again").hasValue(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void aProcessStartingAfterTheLifetimeComputesAgain(Tier tier) {
    String location = tier.location(temp);
    FakeTime time = new FakeTime();
    try (Cachet writer = tier.builder(location).ticker(time).clock(time).build()) {
      memoize(writer).apply("tea");
    }
    time.advance(Duration.ofMinutes(9));
    try (Cachet early = tier.builder(location).ticker(time).clock(time).build()) {
      memoize(early).apply("tea");
      assertThat(calls).as("within the tier's lifetime a new process reads it").hasValue(1);
    }
    time.advance(Duration.ofMinutes(2));
    try (Cachet late = tier.builder(location).ticker(time).clock(time).build()) {
      memoize(late).apply("tea");
      assertThat(calls).as("after it, a new process computes again").hasValue(2);
    }
  }
}
