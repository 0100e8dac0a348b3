package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cachet.codec.EntryFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DiskStore#check}, {@link DiskStore#entries} and friends on real files. */
class DiskStoreCheckTest {
  private static final int THRESHOLD = 1024;

  @TempDir
  Path dir;

  DiskStore store;

  @BeforeEach
  void open() {
    store = DiskStore.open(dir, DiskStoreOptions.builder().sideFileThreshold(THRESHOLD).build());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private List<Path> sideFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
      return files.toList();
    }
  }

  @Test
  void cleanStoreReportsNothing() {
    store.put("a", "d1", frame("one"), 0, List.of("t"));
    store.put("a", "d2", frame(5000, 3), 0, List.of());
    CheckReport report = store.check(false);
    assertThat(report.problems()).isEmpty();
    assertThat(report.clean()).isTrue();
    assertThat(report.healthy()).isTrue();
    assertThat(report.entriesChecked()).isEqualTo(2);
    assertThat(report.filesChecked()).isEqualTo(1);
  }

  @Test
  void orphanFileIsFoundAndFixedRegardlessOfAge() throws Exception {
    store.put("a", "big", frame(5000, 1), 0, List.of());
    Path orphan = dir.resolve("files").resolve("0000.entry");
    Files.write(orphan, new byte[] {1, 2, 3});

    CheckReport found = store.check(false);
    assertThat(found.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo(CheckReport.Kind.ORPHAN_FILE);
      assertThat(p.location()).isEqualTo(orphan.toString());
      assertThat(p.fixed()).isFalse();
    });
    assertThat(Files.exists(orphan)).isTrue();

    CheckReport fixed = store.check(true);
    assertThat(fixed.problems()).singleElement().satisfies(p -> assertThat(p.fixed()).isTrue());
    assertThat(fixed.healthy()).isTrue();
    assertThat(Files.exists(orphan)).isFalse();
    assertThat(store.get("a", "big")).isNotNull();
    assertThat(store.check(false).clean()).isTrue();
  }

  @Test
  void youngTmpFilesAreSparedOldOnesAreOrphans() throws Exception {
    Path young = dir.resolve("files").resolve("young.entry.tmp");
    Path old = dir.resolve("files").resolve("old.entry.tmp");
    Files.write(young, new byte[] {1});
    Files.write(old, new byte[] {1});
    Files.setLastModifiedTime(old,
        FileTime.fromMillis(System.currentTimeMillis() - 5 * 60_000L));

    CheckReport report = store.check(true);
    assertThat(report.problems()).singleElement()
        .satisfies(p -> assertThat(p.location()).isEqualTo(old.toString()));
    assertThat(Files.exists(young)).isTrue();
    assertThat(Files.exists(old)).isFalse();
  }

  @Test
  void damagedInlineFrameIsReportedAndFixed() throws Exception {
    store.put("a", "good", frame("fine"), 0, List.of());
    byte[] bad = frame("damaged");
    store.put("a", "bad", bad, 0, List.of("t"));
    store.flush(); // into the database, to be damaged there
    byte[] flipped = bad.clone();
    flipped[flipped.length - 6] ^= 0x40;
    try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
        "UPDATE entries SET value = ? WHERE digest = 'bad'")) {
      ps.setBytes(1, flipped);
      ps.executeUpdate();
    }

    CheckReport found = store.check(false);
    assertThat(found.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo(CheckReport.Kind.CORRUPT_ENTRY);
      assertThat(p.namespace()).isEqualTo("a");
      assertThat(p.location()).isEqualTo("bad");
      assertThat(p.detail()).contains("CRC32C");
    });
    assertThat(found.healthy()).isFalse();

    CheckReport fixed = store.check(true);
    assertThat(fixed.healthy()).isTrue();
    assertThat(store.entries(null, 10)).extracting(EntryInfo::digest).containsExactly("good");
    assertThat(store.stats().entries()).isEqualTo(1);
    assertThat(store.stats().corruptions()).isEqualTo(1);
    assertThat(store.check(false).clean()).isTrue();
  }

  @Test
  void damagedAndMissingSideFilesAreReportedAndFixed() throws Exception {
    store.put("a", "damaged", frame(5000, 1), 0, List.of());
    store.put("a", "missing", frame(5000, 2), 0, List.of());
    store.put("a", "ok", frame(5000, 3), 0, List.of());
    // entries() orders by creation time, and puts within one clock tick tie: find each row by digest.
    Map<String, String> sideFileByDigest = store.entries("a", 10).stream()
        .collect(Collectors.toMap(EntryInfo::digest, EntryInfo::sideFile));
    Path damaged = dir.resolve("files").resolve(sideFileByDigest.get("damaged"));
    Path missing = dir.resolve("files").resolve(sideFileByDigest.get("missing"));
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[100] ^= 1;
    Files.write(damaged, bytes);
    Files.delete(missing);

    CheckReport found = store.check(false);
    assertThat(found.problems())
        .extracting(CheckReport.Problem::kind, CheckReport.Problem::location)
        .containsExactlyInAnyOrder(tuple(CheckReport.Kind.CORRUPT_ENTRY, "damaged"),
            tuple(CheckReport.Kind.MISSING_SIDE_FILE, "missing"));

    CheckReport fixed = store.check(true);
    assertThat(fixed.problems()).hasSize(2).allMatch(CheckReport.Problem::fixed);
    assertThat(Files.exists(damaged)).isFalse();
    assertThat(sideFiles()).hasSize(1);
    assertThat(store.entries(null, 10)).extracting(EntryInfo::digest).containsExactly("ok");
    assertThat(store.check(false).clean()).isTrue();
  }

  @Test
  void wrongCountersAndSizesAreReportedAndFixed() throws Exception {
    store.put("a", "x", frame("x"), 0, List.of());
    store.put("a", "y", frame("yy"), 0, List.of());
    long bytes = store.stats().bytes();
    try (Connection c = db(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE counters SET value = 7 WHERE name = 'entries'");
    }
    CheckReport found = store.check(false);
    assertThat(found.problems()).singleElement()
        .satisfies(p -> assertThat(p.kind()).isEqualTo(CheckReport.Kind.COUNTERS));
    assertThat(store.stats().entries()).isEqualTo(7);

    assertThat(store.check(true).healthy()).isTrue();
    assertThat(store.stats().entries()).isEqualTo(2);
    assertThat(store.stats().bytes()).isEqualTo(bytes);
    assertThat(store.check(false).clean()).isTrue();
  }

  @Test
  void recordedSizeMismatchIsAProblem() throws Exception {
    store.put("a", "x", frame("x"), 0, List.of());
    store.flush(); // into the database, to be damaged there
    try (Connection c = db(); Statement s = c.createStatement()) {
      // A trigger keeps the totals consistent with the rows, so only the size is wrong.
      s.executeUpdate("UPDATE entries SET size = size + 1");
    }
    CheckReport found = store.check(false);
    assertThat(found.problems()).singleElement()
        .satisfies(p -> assertThat(p.kind()).isEqualTo(CheckReport.Kind.SIZE_MISMATCH));
    assertThat(store.check(true).healthy()).isTrue();
    assertThat(store.stats().entries()).isZero();
    assertThat(store.stats().bytes()).isZero();
  }

  @Test
  void entriesListsWhatWasPutFilteredByNamespace() {
    byte[] big = new EntryFrame("bytes", "byte[]", 1L, 0L, List.of(), new byte[3000]).encode();
    store.put("ns1", "d1", frame("hello"), 0, List.of("red", "blue"));
    store.put("ns1", "d2", big, 4_000_000_000_000L, List.of());
    store.put("ns2", "d3", frame("other"), 0, List.of());

    List<EntryInfo> all = store.entries(null, 10);
    assertThat(all).extracting(EntryInfo::digest).containsExactlyInAnyOrder("d1", "d2", "d3");
    List<EntryInfo> ns1 = store.entries("ns1", 10);
    assertThat(ns1).extracting(EntryInfo::digest).containsExactlyInAnyOrder("d1", "d2");
    EntryInfo d1 = ns1.stream().filter(e -> e.digest().equals("d1")).findFirst().orElseThrow();
    assertThat(d1.inline()).isTrue();
    assertThat(d1.tags()).containsExactly("red", "blue");
    assertThat(d1.codecId()).isEqualTo("utf8");
    assertThat(d1.typeFingerprint()).isEqualTo("java.lang.String");
    assertThat(d1.payloadLength()).isEqualTo(5);
    assertThat(d1.size()).isEqualTo(frame("hello").length);
    assertThat(d1.accessCount()).isEqualTo(1);
    assertThat(d1.problem()).isNull();
    EntryInfo d2 = ns1.stream().filter(e -> e.digest().equals("d2")).findFirst().orElseThrow();
    assertThat(d2.inline()).isFalse();
    assertThat(d2.expiresMillis()).isEqualTo(4_000_000_000_000L);
    assertThat(d2.codecId()).isEqualTo("bytes");
    assertThat(d2.payloadLength()).isEqualTo(3000);

    assertThat(store.entries(null, 2)).hasSize(2);
    assertThat(store.entries(null, "d3", 5)).singleElement()
        .satisfies(e -> assertThat(e.namespace()).isEqualTo("ns2"));
    assertThat(store.entries("nope", 10)).isEmpty();
  }

  @Test
  void peekCountsNothing() {
    store.put("a", "d", frame("text"), 0, List.of());
    long hits = store.stats().hits();
    EntryFrame f = store.peek("a", "d");
    assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("text");
    assertThat(store.peek("a", "none")).isNull();
    assertThat(store.stats().hits()).isEqualTo(hits);
    assertThat(store.stats().misses()).isZero();
  }

  @Test
  void removeAllCountsAndDeletesSideFiles() throws Exception {
    store.put("a", "x", frame("x"), 0, List.of());
    store.put("b", "y", frame(5000, 1), 0, List.of());
    assertThat(store.removeAll()).isEqualTo(2);
    assertThat(sideFiles()).isEmpty();
    assertThat(store.stats().entries()).isZero();
  }
}
