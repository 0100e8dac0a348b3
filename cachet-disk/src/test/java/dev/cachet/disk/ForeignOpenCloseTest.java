package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process keeps writing to a store while other processes open and close it again and
 * again, as short-lived CLI commands and restarting services do next to a long-running one.
 * The long-running process must survive them, and the database must stay sound.
 *
 * <p>This is what SQLite's lock on the WAL index's "in use" byte guarantees, as long as no
 * process releases it by closing a descriptor of the {@code -shm} file: a process that finds
 * the byte unlocked truncates and rebuilds the WAL index that the writer has mapped, and the
 * writer dies of SIGBUS inside the SQLite library (seen within a dozen foreign open/close
 * cycles) or the database is damaged.
 */
class ForeignOpenCloseTest {
  private static final int OPENERS = 4;
  /** Open/get/close cycles per opener process; override with -Dcachet.disk.openCycles=N. */
  private static final int CYCLES = Integer.getInteger("cachet.disk.openCycles", 40);
  private static final Duration STEP = Duration.ofSeconds(90);

  @TempDir
  Path tmp;

  @Test
  void aWriterSurvivesOtherProcessesOpeningAndClosingTheStore() throws Exception {
    Path dir = tmp.resolve("store");
    Path work = Files.createDirectories(tmp.resolve("work"));
    long start = System.nanoTime();
    List<ChildJvm> children = new ArrayList<>();
    try {
      ChildJvm writer = ChildJvm.start(work, "writer", StoreChild.class, "write",
          dir.toString(), "w", "1");
      children.add(writer);
      writer.awaitLine("ready"::equals, STEP);
      long before = progress(writer.awaitLine(l -> l.startsWith("progress "), STEP));

      List<ChildJvm> openers = new ArrayList<>();
      for (int i = 0; i < OPENERS; i++) {
        ChildJvm opener = ChildJvm.start(work, "opener " + i, StoreChild.class, "open-close",
            dir.toString(), "w", String.valueOf(CYCLES), String.valueOf(100 + i));
        children.add(opener);
        openers.add(opener);
      }
      long cycles = 0;
      for (ChildJvm opener : openers) {
        int exit = opener.awaitExit(STEP);
        String output = opener.finalTranscript();
        assertThat(exit).as("an opener exits normally, having read only right values; %s%s%s",
            output, writer.transcript(), crashReports(work, children)).isZero();
        String done = output.lines().filter(l -> l.startsWith("done ")).findFirst()
            .orElseThrow();
        cycles += Long.parseLong(done.split("\\s+")[1].substring("cycles=".length()));
      }
      assertThat(cycles).as("foreign open/close cycles").isGreaterThanOrEqualTo(100);

      // Alive first, and still writing after every opener is done: only then stopped.
      assertThat(writer.isAlive()).as("the writer survived %d foreign open/close cycles; %s%s",
          cycles, writer.transcript(), crashReports(work, children)).isTrue();
      long after = progress(writer.awaitLine(l -> l.startsWith("progress "), STEP));
      assertThat(after).as("the writer kept writing").isGreaterThan(before);
      writer.send("stop");
      int exit = writer.awaitExit(STEP);
      String output = writer.finalTranscript();
      assertThat(exit).as("the writer stops cleanly, having read only right values and "
          + "failed no operation; %s", output).isZero();
      System.out.printf("%d foreign open/close cycles next to a writer (%s) in %d ms%n", cycles,
          output.lines().filter(l -> l.startsWith("stopped")).findFirst().orElse("?"),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } finally {
      for (ChildJvm child : children) {
        child.close();
      }
    }
    assertThat(crashReports(work, children)).as("JVM crash reports").isEmpty();

    // Every process is gone: SQLite's own check of the whole file, on a plain connection.
    try (Connection c = DriverManager.getConnection(
        "jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      List<String> lines = new ArrayList<>();
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
      assertThat(lines).as("PRAGMA integrity_check").containsExactly("ok");
    }
    try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
      int present = 0;
      for (int k = 0; k < ChildWriter.KEYS; k++) {
        String key = "w" + k;
        byte[] frame = store.get(ChildWriter.NS, key);
        if (frame != null) {
          present++;
          assertThat(ChildWriter.isRight(key, frame)).as("value of %s", key).isTrue();
        }
      }
      assertThat(present).as("the writer's entries").isPositive();
      assertThat(store.stats().corruptions()).isZero();
      assertThat(store.check(false).problems()).isEmpty();
    }
  }

  private static long progress(String line) {
    return Long.parseLong(line.substring("progress ".length()));
  }

  /**
   * What crashed JVMs left: {@code hs_err_pid<pid>.log} in the child's working directory
   * (where -XX:ErrorFile points), or else in the temp dir or this JVM's directory. Empty if
   * none crashed.
   */
  private static String crashReports(Path work, List<ChildJvm> children) throws IOException {
    List<Path> places = List.of(work, Path.of(System.getProperty("java.io.tmpdir")),
        Path.of(System.getProperty("user.dir")));
    StringBuilder found = new StringBuilder();
    for (ChildJvm child : children) {
      for (Path place : places) {
        Path report = place.resolve("hs_err_pid" + child.pid() + ".log");
        if (Files.exists(report)) {
          found.append("\n").append(report).append(":\n");
          // The head names the signal and the library it hit.
          Files.readAllLines(report).stream().limit(25)
              .forEach(line -> found.append(line).append('\n'));
        }
      }
    }
    try (Stream<Path> listed = Files.list(work)) {
      listed.filter(p -> p.getFileName().toString().startsWith("hs_err_pid"))
          .filter(p -> found.indexOf(p.toString()) < 0)
          .forEach(p -> found.append("\n").append(p));
    }
    return found.toString();
  }
}
