package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child JVMs on one store directory: killed mid-write, and writing at once. */
class MultiProcessTest {
  /** Rounds of kill -9; override with -Dcachet.disk.crashRounds=N. */
  private static final int ROUNDS = Integer.getInteger("cachet.disk.crashRounds", 50);

  @TempDir
  Path tmp;

  private Process start(Path dir, String mode, String prefix, int count, long seed)
      throws Exception {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-Dorg.sqlite.tmpdir=" + tmp, "-cp", classpath,
        ChildWriter.class.getName(), dir.toString(), mode, prefix, String.valueOf(count),
        String.valueOf(seed));
    pb.redirectErrorStream(true);
    return pb.start();
  }

  private static void awaitReady(Process p) throws Exception {
    awaitReady(p, new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
  }

  @Test
  void killedWritersNeverLeaveAWrongValue() throws Exception {
    Path dir = tmp.resolve("store");
    Random random = new Random(42);
    long start = System.nanoTime();
    int present = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Process child = start(dir, "forever", "k", 0, round);
      try {
        awaitReady(child);
        Thread.sleep(random.nextInt(250));
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      present = verify(dir, round);
    }
    long writes;
    long orphans;
    try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
      writes = store.stats().writes();
      // No writer is alive now, so every unnamed file is a kill's leftover.
      orphans = store.removeOrphanFiles(java.time.Duration.ZERO);
      long named = 0;
      for (int k = 0; k < ChildWriter.KEYS; k++) {
        byte[] frame = store.get(ChildWriter.NS, "k" + k);
        if (frame != null && frame.length > ChildWriter.THRESHOLD) {
          named++;
        }
      }
      try (java.util.stream.Stream<Path> files =
          java.nio.file.Files.list(dir.resolve(DiskStore.FILES_DIR))) {
        assertThat(files.count()).isEqualTo(named);
      }
    }
    System.out.printf("%d kill -9 rounds in %d ms: %d writes counted, %d entries left, "
        + "%d orphaned side files removed%n",
        ROUNDS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), writes, present,
        orphans);
    assertThat(present).as("the writers got to write").isPositive();
  }

  @Test
  void everyPutThatReturnedSurvivesAKill() throws Exception {
    Path dir = tmp.resolve("acked");
    Random random = new Random(7);
    int rounds = 8;
    long acked = 0;
    for (int round = 0; round < rounds; round++) {
      String prefix = "r" + round + "-";
      Process child = start(dir, "ack", prefix, 1_000_000, round);
      int last = -1;
      try {
        BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        awaitReady(child, out);
        int killAt = 200 + random.nextInt(3000);
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("ack ")) {
            last = Integer.parseInt(line.substring(4));
            if (last >= killAt) {
              break;
            }
          }
        }
        // SIGKILL through the handle, which (unlike Process.destroyForcibly) leaves the pipe
        // open for the acknowledgements still in it.
        child.toHandle().destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // Acknowledgements already in the pipe are puts that returned before the kill, too.
        while ((line = out.readLine()) != null) {
          if (line.startsWith("ack ")) {
            last = Integer.parseInt(line.substring(4));
          }
        }
      } finally {
        child.destroyForcibly();
      }
      assertThat(last).as("round %d: the child acknowledged puts", round).isPositive();
      try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
        for (int i = 0; i <= last; i++) {
          String key = prefix + i;
          byte[] frame = store.get(ChildWriter.NS, key);
          assertThat(frame).as("round %d: acknowledged put %s", round, key).isNotNull();
          assertThat(ChildWriter.isRight(key, frame)).as(key).isTrue();
        }
        assertThat(store.stats().corruptions()).isZero();
      }
      acked += last + 1;
    }
    try (java.util.stream.Stream<Path> left =
        java.nio.file.Files.list(dir.resolve(DiskStore.JOURNAL_DIR))) {
      assertThat(left).as("every journal was replayed and deleted").isEmpty();
    }
    System.out.printf("%d kill -9 rounds: all %d acknowledged puts found%n", rounds, acked);
  }

  @Test
  void aProgramThatExitsWithoutClosingStillPublishesItsLastPuts() throws Exception {
    Path dir = tmp.resolve("unclosed");
    try (DiskStore running = DiskStore.open(dir, ChildWriter.options())) {
      Process child = start(dir, "exit", "last", 0, 1);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.exitValue()).as(output).isZero();
      // Seen by a process that was already running, which replays nothing: the child's exit
      // wrote its journal to the database.
      byte[] frame = running.get(ChildWriter.NS, "last");
      assertThat(frame).as(output).isNotNull();
      assertThat(ChildWriter.isRight("last", frame)).isTrue();
    }
  }

  private static void awaitReady(Process p, BufferedReader out) throws Exception {
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null) {
      if (line.equals("ready")) {
        return;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("The child exited before opening the store:\n" + seen);
  }

  private static int verify(Path dir, int round) {
    try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
      int present = 0;
      for (int k = 0; k < ChildWriter.KEYS; k++) {
        String key = "k" + k;
        byte[] frame = store.get(ChildWriter.NS, key);
        if (frame != null) {
          present++;
          assertThat(ChildWriter.isRight(key, frame))
              .as("round %d, key %s", round, key).isTrue();
        }
      }
      assertThat(store.stats().corruptions()).as("round %d", round).isZero();
      assertThat(store.stats().entries()).as("round %d", round).isEqualTo(present);
      return present;
    }
  }

  @Test
  void threeWritersAtOnceLoseNothing() throws Exception {
    Path dir = tmp.resolve("shared");
    int count = 300;
    List<Process> children = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      children.add(start(dir, "count", "p" + c + "-", count, c));
    }
    for (Process child : children) {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.exitValue()).as(output).isZero();
    }
    try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
      long present = 0;
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < count; i++) {
          String key = "p" + c + "-" + i;
          byte[] frame = store.get(ChildWriter.NS, key);
          if (frame != null) {
            present++;
            assertThat(ChildWriter.isRight(key, frame)).as(key).isTrue();
          }
        }
      }
      // Each writer removes about one key in twenty; every other key must be there.
      assertThat(present).isEqualTo(store.stats().entries()).isGreaterThan(3L * count * 8 / 10);
      assertThat(store.stats().failures()).isZero();
      assertThat(store.stats().writes()).isEqualTo(present);
    }
  }
}
