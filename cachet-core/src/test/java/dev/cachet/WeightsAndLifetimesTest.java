package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.stats.CacheEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The weigher and the lifetimes a user sets on a memoized function, at their edges: negative and
 * zero weights, a zero weight bound, cached failures, lifetimes too long for nanoseconds, and the
 * load times the statistics report.
 */
class WeightsAndLifetimesTest {

  @Test
  void aNegativeWeightIsRefusedSayingSoAndAZeroWeightIsAccepted() {
    AtomicInteger calls = new AtomicInteger();
    var f = Cachet.create().function("sized")
        .maximumWeight(100, (k, v) -> (Integer) v)
        .memoize((Integer x) -> {
          calls.incrementAndGet();
          return x;
        });

    assertThatThrownBy(() -> f.apply(-1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("negative weight (-1)")
        .hasMessageContaining("zero or positive");
    assertThat(f.cacheInfo().currSize()).as("nothing stored for the refused weight").isZero();

    assertThat(f.apply(0)).isZero();
    assertThat(f.apply(0)).isZero();
    assertThat(calls).as("the weightless result was cached").hasValue(2);
    assertThat(f.cacheInfo().currSize()).isEqualTo(1);
  }

  @Test
  void aZeroWeightBoundKeepsOnlyWeightlessResultsAndReportsItsBound() {
    AtomicInteger calls = new AtomicInteger();
    var f = Cachet.create().function("weightless").policy(EvictionPolicy.LRU)
        .maximumWeight(0, (k, v) -> ((String) v).isEmpty() ? 0 : 1)
        .memoize((String s) -> {
          calls.incrementAndGet();
          return s;
        });
    assertThat(f.cacheInfo().maxSize()).isZero();
    assertThat(f.cacheInfo().bounded()).isTrue();

    f.apply("");
    f.apply("");
    assertThat(calls).as("weight 0 fits a bound of 0").hasValue(1);
    f.apply("x");
    f.apply("x");
    assertThat(calls).as("weight 1 does not").hasValue(3);
  }

  @Test
  void theWeigherSeesOnlyResultsNeverACachedFailure() {
    List<Object> weighed = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger calls = new AtomicInteger();
    var f = Cachet.create().function("weighed")
        .maximumWeight(100, (k, v) -> {
          weighed.add(v);
          return 1;
        })
        .cacheExceptions(Duration.ofMinutes(1))
        .memoize((Integer x) -> {
          calls.incrementAndGet();
          if (x < 0) {
            throw new IllegalArgumentException("negative");
          }
          return "v" + x;
        });

    f.apply(1);
    assertThatThrownBy(() -> f.apply(-1)).hasMessage("negative");
    assertThatThrownBy(() -> f.apply(-1)).as("the failure is cached").hasMessage("negative");
    assertThat(calls).hasValue(2);
    assertThat(weighed).containsExactly("v1");
  }

  @Test
  void cachedFailuresFollowTheirOwnLifetimeWithoutAnyOtherExpiry() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger calls = new AtomicInteger();
    var f = Cachet.builder().ticker(ticker).build().function("flaky")
        .cacheExceptions(Duration.ofSeconds(5))
        .memoize((Integer x) -> {
          calls.incrementAndGet();
          if (x < 0) {
            throw new IllegalStateException("down");
          }
          return x;
        });

    assertThatThrownBy(() -> f.apply(-1)).hasMessage("down");
    f.apply(1);
    ticker.advance(Duration.ofSeconds(4));
    assertThatThrownBy(() -> f.apply(-1)).hasMessage("down");
    assertThat(calls).as("within its 5 s the failure is served from the cache").hasValue(2);

    ticker.advance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> f.apply(-1)).hasMessage("down");
    f.apply(1);
    assertThat(calls).as("after 5 s the call runs again; the result has no lifetime").hasValue(3);
  }

  @Test
  void aPerEntryLifetimeAloneExpiresEntries() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger calls = new AtomicInteger();
    var f = Cachet.builder().ticker(ticker).build().function("own")
        .expireAfter((key, value) -> ((Integer) value) < 0 ? Duration.ofSeconds(1) : null)
        .memoize((Integer x) -> {
          calls.incrementAndGet();
          return x;
        });
    f.apply(-1);
    f.apply(1);
    ticker.advance(Duration.ofSeconds(2));
    f.apply(-1);
    f.apply(1);
    assertThat(calls).as("only the entry given 1 s expired").hasValue(3);
  }

  @Test
  void aLifetimeTooLongForNanosecondsMeansNeverExpiring() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger calls = new AtomicInteger();
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
    Cachet cachet = Cachet.builder().ticker(ticker).build();
    var written = cachet.function("written").expireAfterWrite(forever)
        .memoize((Integer x) -> calls.incrementAndGet());
    var own = cachet.function("own").expireAfter((k, v) -> forever)
        .memoize((Integer x) -> calls.incrementAndGet());
    var failing = cachet.function("failing").cacheExceptions(forever)
        .memoize((Integer x) -> {
          calls.incrementAndGet();
          throw new IllegalStateException("no");
        });

    written.apply(1);
    own.apply(1);
    assertThatThrownBy(() -> failing.apply(1)).hasMessage("no");
    ticker.advance(Duration.ofDays(365 * 100));
    written.apply(1);
    own.apply(1);
    assertThatThrownBy(() -> failing.apply(1)).hasMessage("no");
    assertThat(calls).hasValue(3);
  }

  @Test
  void loadTimesAreMeasuredOnTheTickerForSuccessesAndFailures() {
    FakeTicker ticker = new FakeTicker();
    List<CacheEvent> events = Collections.synchronizedList(new ArrayList<>());
    var f = Cachet.builder().ticker(ticker).listener(events::add).build()
        .memoize("timed", (Integer ms) -> {
          ticker.advance(Duration.ofMillis(ms));
          if (ms > 100) {
            throw new IllegalStateException("too slow");
          }
          return ms;
        });

    f.apply(30);
    assertThatThrownBy(() -> f.apply(200)).hasMessage("too slow");

    assertThat(f.stats().totalLoadTimeNanos()).isEqualTo(Duration.ofMillis(230).toNanos());
    assertThat(events).filteredOn(e -> e.type() == CacheEvent.Type.LOAD_SUCCESS)
        .extracting(CacheEvent::loadNanos).containsExactly(Duration.ofMillis(30).toNanos());
    assertThat(events).filteredOn(e -> e.type() == CacheEvent.Type.LOAD_FAILURE)
        .extracting(CacheEvent::loadNanos).containsExactly(Duration.ofMillis(200).toNanos());
  }
}
