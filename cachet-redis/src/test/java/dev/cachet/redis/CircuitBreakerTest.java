package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final List<String> events = new ArrayList<>();
  private final CircuitBreaker breaker = new CircuitBreaker(3, ms(1000), ms(4000), now::get,
      new CircuitBreaker.Listener() {
        @Override
        public void opened(Throwable cause, long forMillis) {
          events.add("open " + forMillis);
        }

        @Override
        public void closed(long openMillis) {
          events.add("closed " + openMillis);
        }
      });

  private static long ms(long millis) {
    return millis * 1_000_000;
  }

  private void advance(long millis) {
    now.addAndGet(ms(millis));
  }

  @Test
  void opensAfterThresholdConsecutiveFailures() {
    RuntimeException boom = new RuntimeException("boom");
    breaker.failure(boom);
    breaker.success(); // resets the count
    breaker.failure(boom);
    breaker.failure(boom);
    assertThat(breaker.allow()).isTrue();
    breaker.failure(boom);
    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.allow()).isFalse();
    assertThat(events).containsExactly("open 1000");
  }

  @Test
  void halfOpenLetsOneProbeThroughAndBacksOffOnFailure() {
    RuntimeException boom = new RuntimeException("boom");
    for (int i = 0; i < 3; i++) {
      breaker.failure(boom);
    }
    advance(999);
    assertThat(breaker.allow()).isFalse();
    advance(1);
    assertThat(breaker.allow()).as("the probe").isTrue();
    assertThat(breaker.allow()).as("only one probe").isFalse();
    breaker.failure(boom);
    advance(1999);
    assertThat(breaker.allow()).isFalse();
    advance(1);
    assertThat(breaker.allow()).isTrue();
    breaker.failure(boom);
    advance(4000); // capped at 4 s, not 8
    assertThat(breaker.allow()).isTrue();
    breaker.success();
    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.allow()).isTrue();
    assertThat(events).containsExactly("open 1000", "closed 7000");
    // The backoff starts again from the minimum.
    for (int i = 0; i < 3; i++) {
      breaker.failure(boom);
    }
    assertThat(events).last().isEqualTo("open 1000");
  }

  @Test
  void probeNowEndsTheOpenPeriod() {
    RuntimeException boom = new RuntimeException("boom");
    for (int i = 0; i < 3; i++) {
      breaker.failure(boom);
    }
    assertThat(breaker.allow()).isFalse();
    breaker.probeNow();
    assertThat(breaker.allow()).isTrue();
    breaker.success();
    assertThat(breaker.isOpen()).isFalse();
  }
}
