package dev.cachet;

/**
 * A source of nanosecond time for expiry and load timing. Tests pass a controllable ticker to
 * {@code Cachet.Builder.ticker(Ticker)} to move time forward without sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds elapsed since an arbitrary, fixed origin; only differences are meaningful. */
  long read();

  /** The system ticker, backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
