package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store does with the files around it: it never reads or deletes a file outside its
 * folder whatever a row names, creates what it creates private to its user (or its group,
 * when asked), and never moves a damaged database aside while another store has it open.
 */
class DiskStoreFileSafetyTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path tmp;

  private Path storeDir() {
    return tmp.resolve("store");
  }

  /** Points a key's row at {@code name}, as a damaged page or another program might. */
  private void nameSideFile(Path dir, String digest, String name) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
        + dir.resolve(DiskStore.DB_FILE));
        PreparedStatement ps = c.prepareStatement(
            "UPDATE entries SET value = NULL, file = ? WHERE digest = ?")) {
      ps.setString(1, name);
      ps.setString(2, digest);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  // A plain test looping over the cases, not @ParameterizedTest: PIT's JUnit 5 plugin (1.2.3)
  // credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void aRowNamingAFileOutsideTheStoreNeverReadsOrDeletesIt() throws Exception {
    for (String hostile : List.of("../../victim.txt", "../victim.txt", "/VICTIM",
        "0f4b4f5e-8f5e-4b0e-9d6c-1f2e3d4c5b6a.entry/../../../victim.txt")) {
      rowNamingAFileOutsideTheStore(hostile);
    }
  }

  private void rowNamingAFileOutsideTheStore(String hostile) throws Exception {
    Path dir = tmp.resolve("store-" + Integer.toHexString(hostile.hashCode()));
    Path victim = tmp.resolve("victim.txt");
    Files.writeString(victim, "keep me");
    String name = hostile.replace("/VICTIM", victim.toString());
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "a", frame("a"), 0, List.of("t"));
      store.put(NS, "b", frame("b"), 0, List.of("t"));
      store.put(NS, "c", frame("c"), 0, List.of());
      store.flush();
    }
    nameSideFile(dir, "a", name);
    nameSideFile(dir, "b", name);
    nameSideFile(dir, "c", name);
    try (DiskStore store = DiskStore.open(dir)) {
      assertThat(store.get(NS, "a")).as("a miss, not the victim's bytes").isNull();
      store.flush();
      assertThat(store.stats().corruptions()).isEqualTo(1);
      CheckReport report = store.check(true);
      assertThat(report.problems()).anySatisfy(p -> {
        assertThat(p.kind()).isEqualTo(CheckReport.Kind.CORRUPT_ENTRY);
        assertThat(p.detail()).contains("not one of the store's");
      });
      store.put(NS, "c", frame("c2"), 0, List.of()); // replaces a row that names it
      store.removeTag("t");
      store.removeAll();
      store.flush();
    }
    assertThat(victim).exists().hasContent("keep me");
  }

  @Test
  void aSideFileNameFromTheDatabaseIsAMissWhenItIsNotTheStoresPattern() throws Exception {
    Path dir = storeDir();
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "k", frame("k"), 0, List.of());
      store.flush();
    }
    // A file inside the folder, but not a name the store gives: still not trusted.
    Files.write(dir.resolve(DiskStore.FILES_DIR).resolve("planted"),
        frame("planted"));
    nameSideFile(dir, "k", "planted");
    try (DiskStore store = DiskStore.open(dir)) {
      assertThat(store.get(NS, "k")).isNull();
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static void putSmallAndLarge(DiskStore store) {
    store.put(NS, "small", frame("small"), 0, List.of());
    store.put(NS, "large", frame(200_000, 3), 0, List.of());
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void whatAStoreCreatesIsPrivateToItsUserByDefault() throws Exception {
    Path dir = storeDir().resolve("nested");
    try (DiskStore store = DiskStore.open(dir)) {
      putSmallAndLarge(store);
      assertThat(mode(storeDir())).as("a parent it created").isEqualTo("rwx------");
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(mode(dir.resolve(DiskStore.FILES_DIR))).isEqualTo("rwx------");
      assertThat(mode(dir.resolve(DiskStore.JOURNAL_DIR))).isEqualTo("rwx------");
      for (String file : List.of(DiskStore.DB_FILE, DiskStore.DB_FILE + "-wal",
          DiskStore.DB_FILE + "-shm", StoreLock.FILE)) {
        assertThat(mode(dir.resolve(file))).as(file).isEqualTo("rw-------");
      }
      assertThat(filesIn(dir.resolve(DiskStore.FILES_DIR))).isNotEmpty()
          .allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
      assertThat(filesIn(dir.resolve(DiskStore.JOURNAL_DIR))).hasSize(2)
          .allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void groupAccessLetsTheGroupReadAndWriteWhateverTheUmask() throws Exception {
    Path dir = storeDir();
    try (DiskStore store = DiskStore.open(dir,
        DiskStoreOptions.builder().groupAccess(true).build())) {
      putSmallAndLarge(store);
      assertThat(mode(dir)).isEqualTo("rwxrwx---");
      assertThat(mode(dir.resolve(DiskStore.FILES_DIR))).isEqualTo("rwxrwx---");
      for (String file : List.of(DiskStore.DB_FILE, DiskStore.DB_FILE + "-wal",
          DiskStore.DB_FILE + "-shm")) {
        assertThat(mode(dir.resolve(file))).as(file).isEqualTo("rw-rw----");
      }
      assertThat(filesIn(dir.resolve(DiskStore.FILES_DIR)))
          .allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-rw----"));
      assertThat(filesIn(dir.resolve(DiskStore.JOURNAL_DIR)))
          .allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-rw----"));
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void anExistingDirectoryKeepsTheModeItsOwnerGaveIt() throws Exception {
    Path dir = Files.createDirectories(storeDir());
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
    try (DiskStore store = DiskStore.open(dir)) {
      putSmallAndLarge(store);
    }
    assertThat(mode(dir)).isEqualTo("rwxr-x---");
  }

  private static List<Path> filesIn(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void aPowerLossDurableStoreStoresAndReadsLikeAnyOther() throws Exception {
    Path dir = storeDir();
    DiskStoreOptions durable = DiskStoreOptions.builder()
        .durability(Durability.POWER_LOSS).build();
    assertThat(durable.toString()).contains("durability=POWER_LOSS");
    Thread[] writers = new Thread[8];
    try (DiskStore store = DiskStore.open(dir, durable)) {
      for (int t = 0; t < writers.length; t++) {
        int id = t;
        writers[t] = new Thread(() -> {
          for (int i = 0; i < 200; i++) {
            store.put(NS, id + ":" + i, frame(100, id * 1000 + i), 0, List.of());
          }
        });
        writers[t].start();
      }
      for (Thread w : writers) {
        w.join(TimeUnit.MINUTES.toMillis(2));
        assertThat(w.isAlive()).isFalse();
      }
      assertThat(store.get(NS, "7:199")).isEqualTo(frame(100, 7199));
      assertThat(store.stats().failures()).isZero();
    }
    try (DiskStore store = DiskStore.open(dir, durable)) {
      for (int t = 0; t < writers.length; t++) {
        for (int i = 0; i < 200; i++) {
          assertThat(store.get(NS, t + ":" + i)).isEqualTo(frame(100, t * 1000 + i));
        }
      }
    }
  }

  @Test
  void aDamagedDatabaseIsNotMovedAsideWhileAnotherStoreHasItOpen() throws Exception {
    Path dir = storeDir();
    try (DiskStore first = DiskStore.open(dir)) {
      first.put(NS, "k", frame("k"), 0, List.of());
      first.flush();
      // Everything copied into the database file, so that the damage below is what a new
      // connection reads (SQLite's own connection: it shares the process's locks).
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
          + dir.resolve(DiskStore.DB_FILE)); java.sql.Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      // Damaged by another process: a descriptor of this one on the file would release
      // SQLite's locks here.
      damageHeaderFromAnotherProcess(dir.resolve(DiskStore.DB_FILE));
      assertThatThrownBy(() -> DiskStore.open(dir))
          .isInstanceOf(DiskStoreException.class)
          .hasMessageContaining("is damaged")
          .hasMessageContaining("cannot be moved aside while others use it");
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.contains(".corrupt-"));
      }
    }
  }

  /** Overwrites the first 100 bytes (SQLite's header) from a child process. */
  static void damageHeaderFromAnotherProcess(Path db) throws Exception {
    Process p = new ProcessBuilder("dd", "if=/dev/urandom", "of=" + db, "bs=100", "count=1",
        "conv=notrunc").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void closingTheLastStoreOfADirectoryLetsAnotherProcessRepairIt() throws Exception {
    Path dir = storeDir();
    try (DiskStore first = DiskStore.open(dir); DiskStore second = DiskStore.open(dir)) {
      first.put(NS, "k", frame("k"), 0, List.of());
      second.flush();
    }
    damageHeaderFromAnotherProcess(dir.resolve(DiskStore.DB_FILE));
    try (DiskStore repaired = DiskStore.open(dir,
        DiskStoreOptions.builder().busyTimeout(Duration.ofSeconds(5)).build())) {
      repaired.put(NS, "k", frame("new"), 0, List.of());
      assertThat(repaired.get(NS, "k")).isEqualTo(frame("new"));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith(DiskStore.DB_FILE + ".corrupt-"));
    }
  }
}
