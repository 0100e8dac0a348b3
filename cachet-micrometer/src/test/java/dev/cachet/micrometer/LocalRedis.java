package dev.cachet.micrometer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared {@code redis-server} on 127.0.0.1:6379, when present, detected as cachet-redis's
 * tests detect it. Tests that need it call {@link #uri()}: without a server they are skipped,
 * unless {@code CACHET_REQUIRE_REDIS=1} (set in CI), which turns a missing server into a failure.
 */
final class LocalRedis {
  static final String HOST = "127.0.0.1";
  static final int PORT = 6379;

  private LocalRedis() {
  }

  /** Whether a missing Redis must fail the build rather than skip. */
  static boolean required() {
    return "1".equals(System.getenv("CACHET_REQUIRE_REDIS"));
  }

  /** The shared server's URI; skips (or fails, when required) the test when it is not running. */
  static String uri() {
    boolean up = answersPing(HOST, PORT);
    if (!up && required()) {
      throw new AssertionError("CACHET_REQUIRE_REDIS=1 but no redis-server answers on "
          + HOST + ":" + PORT + "; start one (.ci/run does) or unset the variable");
    }
    Assumptions.assumeTrue(up, "no redis-server on " + HOST + ":" + PORT);
    return "redis://" + HOST + ":" + PORT;
  }

  /** Whether a Redis server answers PING on host:port. */
  static boolean answersPing(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 300);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16];
      int n = in.read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }
}
