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

  /** How the server listens: plain RESP, TLS only, or as a Sentinel. */
  enum Mode { PLAIN, TLS, SENTINEL }

  /** Chosen free before the first start; changed only if another program takes it first. */
  private int port;
  private boolean started;
  private final Path dir;
  private final List<String> extraArgs;
  private final Mode mode;
  private Process process;

  private RedisServerProcess(int port, Path dir, List<String> extraArgs) {
    this(port, dir, extraArgs, Mode.PLAIN);
  }

  private RedisServerProcess(int port, Path dir, List<String> extraArgs, Mode mode) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
    this.mode = mode;
  }

  /**
   * Starts a server that speaks only TLS on its port (plain port disabled), with the given PEM
   * certificate and key, not asking clients for certificates.
   */
  static RedisServerProcess startTls(Path certPem, Path keyPem, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--tls-cert-file", certPem.toString(),
        "--tls-key-file", keyPem.toString(), "--tls-ca-cert-file", certPem.toString(),
        "--tls-auth-clients", "no"));
    args.addAll(List.of(extraArgs));
    RedisServerProcess server;
    try {
      server = new RedisServerProcess(freePort(), Files.createTempDirectory("cachet-redis-tls-"),
          args, Mode.TLS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.startProcess();
    return server;
  }

  /**
   * Starts a Sentinel ({@code redis-server CONF --sentinel}) monitoring the master on
   * 127.0.0.1:{@code masterPort} under {@code masterName}, with a quorum of 1.
   */
  static RedisServerProcess startSentinel(int masterPort, String masterName) {
    RedisServerProcess server;
    try {
      Path dir = Files.createTempDirectory("cachet-sentinel-");
      Files.writeString(dir.resolve("sentinel.conf"), "sentinel monitor " + masterName
          + " 127.0.0.1 " + masterPort + " 1\nsentinel down-after-milliseconds " + masterName
          + " 5000\n");
      server = new RedisServerProcess(freePort(), dir, List.of(), Mode.SENTINEL);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.startProcess();
    return server;
  }

  /** Starts a standalone server on a free port. */
  static RedisServerProcess start(String... extraArgs) {
    return startOn(freePort(), extraArgs);
  }

  /**
   * Starts a standalone server on the given port, or on another free one if a program already
   * holds it (as happens when another build takes the port found free).
   */
  static RedisServerProcess startOn(int port, String... extraArgs) {
    RedisServerProcess server;
    try {
      server = new RedisServerProcess(port, Files.createTempDirectory("cachet-redis-"),
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
    // The folder only holds the log and cluster/sentinel config files of this run.
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Left in the temporary directory; harmless.
    }
  }

  private void startProcess() {
    // A port found free can be taken by another build's server before ours binds it; the
    // first start then moves to another port (a restart must keep its port).
    for (int attempt = 0; ; attempt++) {
      if (launch()) {
        started = true;
        return;
      }
      if (started || attempt == 3 || !log().contains("Address already in use")) {
        throw new IllegalStateException("redis-server on port " + port + " did not start; see "
            + logFile());
      }
      port = freePort();
    }
  }

  /** Starts the process and waits until it, not another program, serves the port. */
  private boolean launch() {
    List<String> command = new ArrayList<>();
    command.add(BINARY);
    if (mode == Mode.SENTINEL) {
      // A Sentinel needs a writable config file, named first.
      command.add(dir.resolve("sentinel.conf").toString());
      command.add("--sentinel");
    }
    command.addAll(List.of("--bind", "127.0.0.1"));
    if (mode == Mode.TLS) {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    if (mode != Mode.SENTINEL) {
      command.addAll(List.of("--save", "", "--appendonly", "no"));
    }
    command.addAll(List.of("--dir", dir.toString(), "--protected-mode", "no"));
    command.addAll(extraArgs);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(logFile().toFile()).start();
    } catch (IOException e) {
      if (LocalRedis.required()) {
        throw new AssertionError("CACHET_REQUIRE_REDIS=1 but redis-server could not be "
            + "started: " + e.getMessage(), e);
      }
      Assumptions.abort("redis-server is not installed: " + e.getMessage());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      // The port answering is not enough: another build's server may hold it. Our process
      // says in its own log that it listens.
      boolean ready = process.isAlive() && ownLogSaysReady()
          && (mode == Mode.TLS ? listening(port) : answers(port));
      if (ready) {
        return true;
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
    // Not ready in time: do not leave it running behind the failed test.
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
    return false;
  }

  private Path logFile() {
    return dir.resolve("redis-" + port + ".log");
  }

  private String log() {
    try {
      return Files.readString(logFile());
    } catch (IOException e) {
      return "";
    }
  }

  private boolean ownLogSaysReady() {
    String log = log();
    return log.contains("Ready to accept connections")
        || (mode == Mode.SENTINEL && log.contains("Sentinel ID is"));
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

  /** Whether a server answers PING, with PONG or by asking for a password. */
  static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      s.setSoTimeout(500);
      s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] buf = new byte[16];
      int n = s.getInputStream().read(buf);
      String reply = n > 0 ? new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII)
          : "";
      return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
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
