package dev.cachet.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} of the test's own on a free loopback port, for tests that kill, restart
 * or partition Redis, or need a Cluster. Nothing is persisted; {@link #close()} kills it.
 */
final class RedisServerProcess implements AutoCloseable {
  private static final String BINARY = "redis-server";

  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private Process process;

  private RedisServerProcess(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts a standalone server on a free port. */
  static RedisServerProcess start(String... extraArgs) {
    RedisServerProcess server;
    try {
      server = new RedisServerProcess(freePort(), Files.createTempDirectory("cachet-redis-"),
          List.of(extraArgs));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.startProcess();
    return server;
  }

  /** The port it listens on (the same across restarts). */
  int port() {
    return port;
  }

  /** Its URI, {@code redis://127.0.0.1:PORT}. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** The folder it runs in (cluster config files live there). */
  Path dir() {
    return dir;
  }

  /** Kills it at once (SIGKILL), as a crash would. */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts it again on the same port, empty (nothing is persisted). */
  void restart() {
    kill();
    startProcess();
  }

  /** Whether it is running. */
  boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    kill();
  }

  private void startProcess() {
    List<String> command = new ArrayList<>(List.of(BINARY, "--bind", "127.0.0.1",
        "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--protected-mode", "no"));
    command.addAll(extraArgs);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
    } catch (IOException e) {
      Assumptions.assumeTrue(!LocalRedis.required(),
          () -> "redis-server could not be started: " + e.getMessage());
      Assumptions.abort("redis-server is not installed: " + e.getMessage());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (LocalRedis.answersPing("127.0.0.1", port)) {
        return;
      }
      if (!process.isAlive()) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("redis-server on port " + port + " did not start; see "
        + dir.resolve("redis-" + port + ".log"));
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether something accepts connections on the port (used to wait for a free port). */
  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
