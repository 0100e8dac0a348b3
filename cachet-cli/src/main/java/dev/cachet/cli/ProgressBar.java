package dev.cachet.cli;

import dev.cachet.cli.simulate.Progress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn in place with a carriage return. It redraws at most ten
 * times a second, however often it is told of progress, so a fast simulation is not slowed
 * down by terminal output.
 */
final class ProgressBar implements Progress {
  private static final long MIN_INTERVAL_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final LongSupplier nanoTime;
  private long lastDraw;
  private int lastLength;

  ProgressBar(PrintWriter err) {
    this(err, System::nanoTime);
  }

  /** With a time source of its own, so tests need not sleep. */
  ProgressBar(PrintWriter err, LongSupplier nanoTime) {
    this.err = err;
    this.nanoTime = nanoTime;
    // Counting from creation means a run shorter than one interval never draws at all.
    this.lastDraw = nanoTime.getAsLong();
  }

  @Override
  public void update(String stage, long done, long total) {
    long now = nanoTime.getAsLong();
    if (now - lastDraw < MIN_INTERVAL_NANOS) {
      return;
    }
    lastDraw = now;
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    String line = String.format(Locale.ROOT, "simulating [%s%s] %3d%%  %s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), Math.round(fraction * 100), stage);
    // Pad over the previous line, which may have been longer.
    String padded = line + " ".repeat(Math.max(0, lastLength - line.length()));
    lastLength = line.length();
    err.print('\r');
    err.print(padded);
    err.flush();
  }

  /** Erases the bar, if it was ever drawn, so the results start on a clean line. */
  void finish() {
    if (lastLength > 0) {
      err.print('\r');
      err.print(" ".repeat(lastLength));
      err.print('\r');
      err.flush();
      lastLength = 0;
    }
  }
}
