package dev.cachet.micrometer;

import dev.cachet.redis.LocalRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} of the test's own on a free loopback port that only an ACL user with a
 * password may use, so a test can see what becomes of credentials given in a Redis URI. Nothing
 * is persisted; {@link #close()} kills it. Skipped when redis-server is not installed, unless
 * {@code CACHET_REQUIRE_REDIS=1}.
 */
final class PasswordProtectedRedis implements AutoCloseable {
  private final Process process;
  private final int port;

  private PasswordProtectedRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts one whose only user is {@code user} with {@code password}, running in {@code dir}. */
  static PasswordProtectedRedis start(Path dir, String user, String password) throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket()) {
      free.bind(new InetSocketAddress("127.0.0.1", 0));
      port = free.getLocalPort();
    }
    List<String> command = List.of("redis-server", "--bind", "127.0.0.1",
        "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
        "--dir", dir.toString(),
        "--user", "default", "off",
        "--user", user, "on", ">" + password, "~*", "&*", "+@all");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      if (LocalRedis.required()) {
        throw new AssertionError("CACHET_REQUIRE_REDIS=1 but redis-server could not be started",
            e);
      }
      Assumptions.abort("redis-server is not installed: " + e.getMessage());
      throw e;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!asksForAPassword(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("redis-server on port " + port + " did not start; see "
            + dir.resolve("redis.log"));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    return new PasswordProtectedRedis(process, port);
  }

  int port() {
    return port;
  }

  /** Whether the server is up: it answers an anonymous PING by asking for authentication. */
  private static boolean asksForAPassword(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      s.setSoTimeout(500);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[16];
      int n = s.getInputStream().read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
