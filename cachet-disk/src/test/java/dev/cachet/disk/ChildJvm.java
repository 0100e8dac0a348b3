package dev.cachet.disk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running a test program on the test classpath, for the tests that need real
 * processes (POSIX locks are per process, so only another process shows what a lock means).
 * Its output is drained by a thread as it comes, so a chatty child never blocks on a full
 * pipe, and the tests wait on the lines it prints instead of sleeping. {@link #close} kills it
 * (SIGKILL), so a test that puts it in try-with-resources leaves no process behind, even when
 * an assertion fails.
 */
final class ChildJvm implements AutoCloseable {
  private static final String EOF = new String("<eof>");

  private final Process process;
  private final String name;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer transcript = new StringBuffer();
  private final OutputStream stdin;
  private final CountDownLatch drained = new CountDownLatch(1);

  private ChildJvm(Process process, String name) {
    this.process = process;
    this.name = name;
    this.stdin = process.getOutputStream();
    Thread drain = new Thread(this::drain, "drain-" + name);
    drain.setDaemon(true);
    drain.start();
  }

  /**
   * Starts {@code main} in a new JVM whose working directory is {@code workDir}; a JVM that
   * crashes writes its {@code hs_err_pid<pid>.log} there too.
   */
  static ChildJvm start(Path workDir, String name, Class<?> main, String... args)
      throws IOException {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        "-XX:ErrorFile=" + workDir.resolve("hs_err_pid%p.log"),
        "-Dorg.sqlite.tmpdir=" + workDir, "-cp", classpath, main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.redirectErrorStream(true);
    return new ChildJvm(pb.start(), name);
  }

  private void drain() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        transcript.append(line).append('\n');
        lines.add(line);
      }
    } catch (IOException e) {
      transcript.append("<output lost: ").append(e).append(">\n");
    } finally {
      lines.add(EOF);
      drained.countDown();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the child printed so far (stdout and stderr), for failure messages. */
  String transcript() {
    return name + " (pid " + process.pid() + ") printed:\n" + transcript;
  }

  /**
   * The next line that matches, skipping others; fails if the child ends its output or the
   * deadline passes first.
   */
  String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("No expected line from " + name + " within " + timeout
            + "; " + transcript());
      }
      if (line == EOF) {
        lines.add(EOF);
        throw new AssertionError(name + " ended its output without the expected line"
            + exitNote() + "; " + transcript());
      }
      if (matches.test(line)) {
        return line;
      }
    }
  }

  private String exitNote() {
    try {
      if (process.waitFor(5, TimeUnit.SECONDS)) {
        return " (exit code " + process.exitValue() + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  /** Sends one line to the child's standard input. */
  void send(String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** Waits for the child to exit; its exit code, or fails at the deadline. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + timeout + "; " + transcript());
    }
    return process.exitValue();
  }

  /** Waits until the output is drained too (after exit), so the transcript is whole. */
  String finalTranscript() throws InterruptedException {
    drained.await(10, TimeUnit.SECONDS);
    return transcript();
  }

  /** Kills the child (SIGKILL) and waits for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
