package dev.cachet.memory;

import dev.cachet.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when told to. */
final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long read() {
    return nanos.get();
  }

  ManualTicker advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    return this;
  }

  ManualTicker advanceNanos(long n) {
    nanos.addAndGet(n);
    return this;
  }
}
