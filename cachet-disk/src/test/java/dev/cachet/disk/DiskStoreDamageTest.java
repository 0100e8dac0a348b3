package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static dev.cachet.disk.Frames.indexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.tier.StoreStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage done to the real files of a closed store: bytes flipped in the database and in side
 * files, a destroyed header, a deleted side file. Whatever is damaged, a read returns the right
 * value or nothing, never another value and never an exception.
 */
class DiskStoreDamageTest {
  private static final String NS = "fn:1:code:type";
  private static final int THRESHOLD = 1024;

  @TempDir
  Path dir;

  private final StoreWarnings logs = new StoreWarnings();

  @BeforeEach
  void captureLogs() {
    logs.start();
  }

  @AfterEach
  void releaseLogs() {
    logs.stop();
  }

  private List<String> warnings() {
    return logs.messages();
  }

  private DiskStoreOptions options() {
    return DiskStoreOptions.builder().sideFileThreshold(THRESHOLD).build();
  }

  static String digest(int i) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(("key-" + i).getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes a store of small, medium (inline) and large (side-file) entries; closes it. */
  private Map<String, byte[]> populate(Path store, int n) throws Exception {
    Map<String, byte[]> expected = new LinkedHashMap<>();
    try (DiskStore s = DiskStore.open(store, options())) {
      for (int i = 0; i < n; i++) {
        int size = i % 10 == 0 ? 3000 + i : i % 3 == 0 ? 600 + i : 40 + i % 50;
        byte[] f = frame(size, i);
        s.put(NS, digest(i), f, 0, List.of("t" + i % 4));
        expected.put(digest(i), f);
      }
      for (int i = 0; i < n; i += 7) {
        s.get(NS, digest(i)); // some access updates in the file too
      }
    }
    return expected;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Every read of a damaged store: exactly the value written, or nothing. */
  private static int checkReads(DiskStore s, Map<String, byte[]> expected) {
    int found = 0;
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      byte[] got = s.get(NS, e.getKey());
      if (got != null) {
        assertThat(got).as("value of %s", e.getKey()).isEqualTo(e.getValue());
        found++;
      }
    }
    return found;
  }

  @Test
  void flippedBytesAnywhereInTheDatabaseNeverGiveAWrongValue() throws Exception {
    Path pristine = dir.resolve("pristine");
    Map<String, byte[]> expected = populate(pristine, 300);
    byte[] db = Files.readAllBytes(pristine.resolve(DiskStore.DB_FILE));
    assertThat(pristine.resolve(DiskStore.DB_FILE + "-wal")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(), p -> assertThat(Files.size(p)).isZero());
    Random random = new Random(7);
    int rounds = 160;
    int opened = 0;
    int lostSome = 0;
    for (int r = 0; r < rounds; r++) {
      Path work = dir.resolve("round");
      deleteTree(work);
      copyTree(pristine, work);
      byte[] damaged = db.clone();
      // Spread over the whole file (every page is hit), plus a burst of neighbours.
      int offset = (int) ((long) r * db.length / rounds) + random.nextInt(Math.max(1,
          db.length / rounds));
      int span = 1 + random.nextInt(4);
      for (int i = offset; i < Math.min(db.length, offset + span); i++) {
        damaged[i] ^= (byte) (1 + random.nextInt(255));
      }
      Files.write(work.resolve(DiskStore.DB_FILE), damaged);
      try (DiskStore s = DiskStore.open(work, options())) {
        opened++;
        int found = checkReads(s, expected);
        if (found < expected.size()) {
          lostSome++;
        }
        // The store stays usable for writes too (or counts the failure).
        s.put(NS, "after", frame("after"), 0, List.of());
        byte[] after = s.get(NS, "after");
        if (after != null) {
          assertThat(after).isEqualTo(frame("after"));
        }
      }
    }
    assertThat(opened).isEqualTo(rounds); // a damaged header is moved aside, not fatal
    assertThat(lostSome).isPositive(); // the flips did hit something
  }

  @Test
  void flippedBytesInSideFilesAreMissesCountedAndRemoved() throws Exception {
    Map<String, byte[]> expected = populate(dir, 100);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
      files = list.sorted().toList();
    }
    assertThat(files).hasSize(10);
    Random random = new Random(11);
    for (Path f : files) {
      byte[] b = Files.readAllBytes(f);
      b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
      Files.write(f, b);
    }
    try (DiskStore s = DiskStore.open(dir, options())) {
      assertThat(checkReads(s, expected)).isEqualTo(90);
      StoreStats stats = s.stats();
      assertThat(stats.corruptions()).isEqualTo(10);
      assertThat(stats.entries()).isEqualTo(90);
      try (Stream<Path> list = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
        assertThat(list.count()).isZero();
      }
    }
    assertThat(warnings()).anySatisfy(w -> assertThat(w)
        .contains(dir.resolve(DiskStore.FILES_DIR).toAbsolutePath().toString())
        .contains("damaged"));
  }

  @Test
  void aDamagedValueInsideTheDatabaseIsAMissCountedLoggedAndRemoved() throws Exception {
    byte[] marked = frame(200, 77);
    try (DiskStore s = DiskStore.open(dir, options())) {
      s.put(NS, "victim", marked, 0, List.of());
      s.put(NS, "bystander", frame("fine"), 0, List.of());
    }
    Path dbFile = dir.resolve(DiskStore.DB_FILE);
    byte[] db = Files.readAllBytes(dbFile);
    int at = indexOf(db, java.util.Arrays.copyOfRange(marked, marked.length - 120,
        marked.length - 100));
    assertThat(at).as("the frame is stored inline").isNotNegative();
    db[at + 5] ^= 0x40;
    Files.write(dbFile, db);
    try (DiskStore s = DiskStore.open(dir, options())) {
      assertThat(s.get(NS, "victim")).isNull();
      assertThat(s.get(NS, "bystander")).isEqualTo(frame("fine"));
      StoreStats stats = s.stats();
      assertThat(stats.corruptions()).isEqualTo(1);
      assertThat(stats.entries()).isEqualTo(1); // removed
      assertThat(s.get(NS, "victim")).isNull();
    }
    assertThat(warnings()).anySatisfy(w -> assertThat(w)
        .contains(dbFile.toAbsolutePath().toString()).contains("victim"));
  }

  @Test
  void aDestroyedHeaderIsMovedAsideWithAWarningOrRefusedWhenAsked() throws Exception {
    populate(dir, 20);
    Path dbFile = dir.resolve(DiskStore.DB_FILE);
    byte[] db = Files.readAllBytes(dbFile);
    java.util.Arrays.fill(db, 0, 100, (byte) 0x5A);
    Files.write(dbFile, db);

    // Tools that report damage ask for the error instead of a repair.
    assertThatThrownBy(() -> DiskStore.open(dir, DiskStoreOptions.builder()
        .recoverCorruptDatabase(false).build()))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining(dbFile.toAbsolutePath().toString());

    try (DiskStore s = DiskStore.open(dir, options())) {
      assertThat(s.get(NS, digest(1))).isNull();
      s.put(NS, "fresh", frame("fresh"), 0, List.of());
      assertThat(s.get(NS, "fresh")).isEqualTo(frame("fresh"));
    }
    try (Stream<Path> list = Files.list(dir)) {
      assertThat(list.map(p -> p.getFileName().toString()))
          .anySatisfy(name -> assertThat(name).startsWith(DiskStore.DB_FILE + ".corrupt-"));
    }
    assertThat(warnings()).anySatisfy(w -> assertThat(w)
        .contains(dbFile.toAbsolutePath().toString()).contains("moved it to"));
  }

  @Test
  void aDeletedSideFileIsAMissCountedLoggedOnceAndRemoved() throws Exception {
    Map<String, byte[]> expected = populate(dir, 30);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
      files = list.toList();
    }
    for (Path f : files) {
      Files.delete(f);
    }
    try (DiskStore s = DiskStore.open(dir, options())) {
      assertThat(checkReads(s, expected)).isEqualTo(30 - files.size());
      assertThat(s.stats().corruptions()).isEqualTo(files.size());
      assertThat(s.stats().entries()).isEqualTo(30 - files.size());
    }
    assertThat(warnings()).anySatisfy(w -> assertThat(w)
        .contains(files.get(0).getParent().toString()).contains("missing"));
  }

  @Test
  void orphanCleanupOnOpenIsTheCallersChoice() throws Exception {
    populate(dir, 5);
    Path orphan = Files.write(dir.resolve(DiskStore.FILES_DIR).resolve("orphan.entry"),
        new byte[10]);
    Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - DiskStore.ORPHAN_GRACE.toMillis() - 60_000));
    try (DiskStore s = DiskStore.open(dir, DiskStoreOptions.builder()
        .removeOrphansOnOpen(false).build())) {
      assertThat(orphan).exists();
      assertThat(s.check(false).problems()).anySatisfy(p ->
          assertThat(p.kind()).isEqualTo(CheckReport.Kind.ORPHAN_FILE));
    }
    assertThat(orphan).exists(); // looking did not change the store
    try (DiskStore s = DiskStore.open(dir)) {
      assertThat(orphan).doesNotExist(); // the default cleans up
    }
  }
}
