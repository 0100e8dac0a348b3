package dev.cachet.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker process of a multi-process cell ({@link DiskMixedProcesses} starts two): opens
 * the contender on the shared directory, warms up, and replays its stream once told to, so
 * that both processes measure the same seconds.
 *
 * <p>Protocol on standard output, one line each: {@code READY} once open and warmed up (then
 * it waits for a {@code GO} line on standard input), {@code FAILED <reason>} if the store would
 * not open (the process then exits with status 3), {@code DONE} after writing its
 * {@link DiskMixedTally} to the {@code --out} file and closing the store.
 *
 * <p>Usage: {@code DiskMixedWorker --contender NAME --dir DIR --ops FILE --stream NAME
 * --cap-seconds S --warmup-seconds S --out FILE}
 */
public final class DiskMixedWorker {
  private DiskMixedWorker() {
  }

  /**
   * Runs one worker; see the class comment.
   *
   * @param args the options above
   * @throws Exception if the protocol cannot be followed; the parent then reports the exit
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    String name = required(a, "--contender");
    Path dir = Path.of(required(a, "--dir"));
    DiskMixedOps ops = DiskMixedOps.read(Path.of(required(a, "--ops")));
    int[] stream = ops.stream(required(a, "--stream"));
    long capNanos = (long) (Double.parseDouble(required(a, "--cap-seconds")) * 1e9);
    long warmupNanos = (long) (Double.parseDouble(required(a, "--warmup-seconds")) * 1e9);
    Path out = Path.of(required(a, "--out"));
    ops.keys();
    // Protocol lines go to the real stdout; anything a library prints goes to stderr, so it
    // can never be mistaken for one.
    PrintStream protocol = System.out;
    System.setOut(System.err);

    DiskMixedContender contender;
    try {
      contender = DiskMixedContender.open(name, dir, ops);
    } catch (RuntimeException e) {
      protocol.println("FAILED " + oneLine(e));
      protocol.flush();
      System.exit(3);
      return;
    }
    DiskMixedTally t;
    try {
      if (warmupNanos > 0) {
        DiskMixedReplay.replay(contender, ops, ops.stream(DiskMixedOps.WARMUP), warmupNanos);
        contender.settle();
      }
      protocol.println("READY");
      protocol.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      String line = in.readLine();
      if (!"GO".equals(line)) {
        throw new IllegalStateException("Expected GO from the parent, got " + line);
      }
      t = DiskMixedReplay.replay(contender, ops, stream, capNanos);
      long settleStart = System.nanoTime();
      contender.settle();
      t.settleNanos = System.nanoTime() - settleStart;
      t.storeFailures = contender.failures();
    } finally {
      contender.close();
    }
    t.closed = contender.isClosed();
    t.writeTo(out);
    protocol.println("DONE");
    protocol.flush();
  }

  /** An exception as one line, causes included: the parent reads line by line. */
  static String oneLine(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      b.append(" <- ").append(c);
    }
    return b.toString().replace('\n', ' ').replace('\r', ' ');
  }

  private static String required(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("Missing " + key);
    }
    return v;
  }
}
