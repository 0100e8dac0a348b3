package dev.cachet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a multi-process cell: one {@link DiskMixedWorker} JVM per stream on the same store
 * directory, started together once all are open and warmed up, their tallies merged.
 */
final class DiskMixedProcesses {
  /** How long a worker may take to open its store and warm up. */
  private static final long READY_TIMEOUT_SECONDS = 300;

  private DiskMixedProcesses() {
  }

  /**
   * What a multi-process cell produced: a merged tally, or why the store could not be shared.
   *
   * @param tally the merged tally, or null
   * @param refused the first worker's reason for not opening, or null
   */
  record Outcome(DiskMixedTally tally, String refused) {
  }

  /**
   * Runs the workers. The caller must have closed its own handle on the store first if the
   * store allows one process only, or the probe says nothing about a second user.
   *
   * @param contender the contender's name
   * @param dir the shared store directory
   * @param opsFile the operation file
   * @param streams one stream per worker
   * @param capSeconds each worker's replay limit
   * @param warmupSeconds each worker's unmeasured warm-up
   * @param jvmArgs options for the worker JVMs, such as heap flags
   * @param scratch a directory for the workers' result files
   * @return the outcome
   * @throws IOException if a worker cannot be started or its result read
   * @throws InterruptedException if interrupted while waiting
   */
  static Outcome run(String contender, Path dir, Path opsFile, List<String> streams,
      double capSeconds, double warmupSeconds, List<String> jvmArgs, Path scratch)
      throws IOException, InterruptedException {
    List<Process> processes = new ArrayList<>();
    List<BlockingQueue<String>> lines = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    try {
      for (int i = 0; i < streams.size(); i++) {
        Path out = scratch.resolve("worker-" + contender + "-" + i + ".bin");
        Files.deleteIfExists(out);
        outs.add(out);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        // A crashing worker's report goes to the scratch directory, not the caller's.
        cmd.add("-XX:ErrorFile=" + scratch.resolve("hs_err_pid%p.log"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DiskMixedWorker.class.getName());
        cmd.addAll(List.of("--contender", contender, "--dir", dir.toString(),
            "--ops", opsFile.toString(), "--stream", streams.get(i),
            "--cap-seconds", Double.toString(capSeconds),
            "--warmup-seconds", Double.toString(warmupSeconds), "--out", out.toString()));
        Process p = new ProcessBuilder(cmd).directory(scratch.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        lines.add(pump(p, contender + "-" + i));
      }
      for (int i = 0; i < processes.size(); i++) {
        String line = lines.get(i).poll(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (line == null || line.equals(EOF)) {
          throw new IOException("Worker " + i + " of " + contender + " exited or hung before "
              + "it was ready (exit " + exitOf(processes.get(i)) + ")");
        }
        if (line.startsWith("FAILED")) {
          return new Outcome(null, line.substring("FAILED".length()).trim());
        }
        if (!line.equals("READY")) {
          throw new IOException("Worker " + i + " of " + contender + " said "
              + crashSummary(line, lines.get(i)));
        }
      }
      // GO to every worker back to back: they start within a millisecond of each other.
      for (Process p : processes) {
        OutputStream in = p.getOutputStream();
        in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
      }
      List<DiskMixedTally> tallies = new ArrayList<>();
      long waitSeconds = (long) capSeconds + READY_TIMEOUT_SECONDS;
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        if (!p.waitFor(waitSeconds, TimeUnit.SECONDS)) {
          throw new IOException("Worker " + i + " of " + contender + " did not finish within "
              + waitSeconds + " s");
        }
        if (p.exitValue() != 0) {
          throw new IOException("Worker " + i + " of " + contender + " exited with "
              + p.exitValue() + ": " + crashSummary("", lines.get(i)));
        }
        tallies.add(DiskMixedTally.readFrom(outs.get(i)));
      }
      return new Outcome(DiskMixedTally.merge(tallies), null);
    } finally {
      for (Process p : processes) {
        if (p.isAlive()) {
          p.destroy();
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
        }
      }
      for (Path out : outs) {
        Files.deleteIfExists(out);
      }
    }
  }

  private static final String EOF = "\u0000EOF";

  /** Reads a worker's stdout lines into a queue, off the waiting thread. */
  private static BlockingQueue<String> pump(Process p, String name) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          q.add(line);
        }
      } catch (IOException ignored) {
        // the process is gone; EOF below tells the waiter
      }
      q.add(EOF);
    }, "disk-mixed-pump-" + name);
    t.setDaemon(true);
    t.start();
    return q;
  }

  /**
   * The telling lines of what a worker printed besides the protocol: a JVM that dies in
   * native code (as SQLite does on a SIGBUS) writes its fatal-error banner to stdout.
   */
  private static String crashSummary(String first, BlockingQueue<String> rest)
      throws InterruptedException {
    List<String> all = new ArrayList<>();
    all.add(first);
    for (String l = rest.poll(5, TimeUnit.SECONDS); l != null && !l.equals(EOF);
        l = rest.poll(5, TimeUnit.SECONDS)) {
      all.add(l);
    }
    List<String> telling = all.stream()
        .filter(l -> l.contains("SIG") || l.startsWith("# C  [") || l.startsWith("# J ")
            || l.startsWith("# V  ["))
        .map(l -> l.replaceFirst("^#\s*", "").trim())
        .toList();
    String text = String.join("; ", telling.isEmpty() ? all : telling).trim();
    return text.isEmpty() ? "(nothing on stdout; its stderr is above)"
        : text.length() > 600 ? text.substring(0, 600) + "..." : text;
  }

  private static String exitOf(Process p) {
    try {
      return p.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
