package dev.cachet.llm.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An upstream body that may not stall: a read that waits longer than the idle timeout, or
 * past the answer's deadline, closes the body and fails with an {@link HttpTimeoutException}.
 *
 * <p>The JDK's {@code HttpClient} times out only the wait for response headers; a body that
 * sends one byte a second, or none, would otherwise hold the proxy's thread forever. Closing
 * the body from the timer cancels the exchange, which wakes the blocked read.
 */
final class WatchedBody extends InputStream {
  private static final ScheduledExecutorService TIMER = timer();

  private final InputStream in;
  private final long idleNanos;
  private final long deadline;
  private final String what;
  private final String totalLimit;
  private volatile HttpTimeoutException expired;

  /**
   * @param in the upstream body
   * @param idle the longest wait for the next bytes
   * @param total the longest time from now to the end of the body, or null for no limit
   * @param what names the body in the error message, such as "the upstream's stream"
   * @param totalLimit names the setting that gave {@code total}, for the error message
   */
  WatchedBody(InputStream in, Duration idle, Duration total, String what, String totalLimit) {
    this.in = in;
    this.idleNanos = idle.toNanos();
    this.deadline = total == null ? Long.MAX_VALUE : System.nanoTime() + total.toNanos();
    this.what = what;
    this.totalLimit = totalLimit;
  }

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "cachet-proxy-upstream-timer");
      t.setDaemon(true);
      return t;
    });
    // One task per read, nearly all cancelled: drop them at once rather than at their time.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    check();
    long now = System.nanoTime();
    boolean idle = deadline - now > idleNanos;
    long wait = Math.max(0, idle ? idleNanos : deadline - now);
    ScheduledFuture<?> alarm = TIMER.schedule(() -> expire(idle), wait, TimeUnit.NANOSECONDS);
    int n;
    try {
      n = in.read(buffer, offset, length);
    } catch (IOException e) {
      check();
      throw e;
    } finally {
      alarm.cancel(false);
    }
    check();
    return n;
  }

  private void expire(boolean idle) {
    expired = new HttpTimeoutException(idle
        ? what + " sent nothing for " + Duration.ofNanos(idleNanos).toMillis()
            + " ms (the proxy's upstream idle timeout)"
        : what + " did not end within the proxy's " + totalLimit);
    try {
      in.close();
    } catch (IOException | RuntimeException ignored) {
      // Closing is only to wake the reader; the timeout is what it will report.
    }
  }

  private void check() throws HttpTimeoutException {
    HttpTimeoutException e = expired;
    if (e != null) {
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
