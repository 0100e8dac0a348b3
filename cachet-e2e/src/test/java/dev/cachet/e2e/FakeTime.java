package dev.cachet.e2e;

import dev.cachet.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test time that moves only when told: one ticker (memory's expiry) and one wall clock (the
 * tiers' entry stamps) that advance together. The clock starts at the real time, so that a
 * store keeping its own real clock still holds the entries: what decides their expiry in these
 * tests is Cachet's reading of each entry's stamp, not the store's housekeeping.
 */
final class FakeTime extends Clock implements Ticker {
  private final long startMillis = System.currentTimeMillis();
  private final AtomicLong elapsedNanos = new AtomicLong();

  /** Moves time forward. */
  void advance(Duration duration) {
    elapsedNanos.addAndGet(duration.toNanos());
  }

  @Override
  public long read() {
    return elapsedNanos.get();
  }

  @Override
  public long millis() {
    return startMillis + elapsedNanos.get() / 1_000_000;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("test time has one zone");
  }
}
