package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How journaled puts meet the database: a removal made after a put was journaled wins and one
 * made at the same microsecond does not, a journaled put that expired before it was applied
 * takes the old value with it, every put of a key counts as a write, a store that cannot
 * create its journal writes directly, empty journals of stopped processes are deleted, and the
 * table of remembered removals stays bounded.
 */
class JournalReplayRulesTest {
  private static final String NS = "fn:1:code:type";
  private static final Duration LONG = Duration.ofMinutes(1);

  @TempDir
  Path dir;

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private static Map<String, Long> drops(Path store) throws Exception {
    Map<String, Long> drops = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.resolve(
        DiskStore.DB_FILE)); ResultSet rs = c.createStatement().executeQuery(
            "SELECT scope, at FROM drops")) {
      while (rs.next()) {
        drops.put(rs.getString(1), rs.getLong(2));
      }
    }
    return drops;
  }

  @Test
  void aRemovalWinsOverAPutJournaledBeforeItButNotOverOneJournaledAtTheSameMicrosecond()
      throws Exception {
    record Case(String name, Consumer<DiskStore> removal, String ns, List<String> tags,
        String sameScope, String beforeScope) {
    }
    List<Case> cases = List.of(
        new Case("key", s -> {
          s.remove(NS, "same");
          s.remove(NS, "before");
        }, NS, List.of(), "k:" + NS + "\nsame", "k:" + NS + "\nbefore"),
        new Case("namespace", s -> s.removeNamespace("other-ns"), "other-ns", List.of(),
            "n:other-ns", "n:other-ns"),
        new Case("tag", s -> s.removeTag("t"), NS, List.of("x", "t"), "t:t", "t:t"),
        new Case("everything", DiskStore::clear, NS, List.of(), "*", "*"));
    for (Case c : cases) {
      Path sub = dir.resolve(c.name());
      try (DiskStore remover = DiskStore.open(sub, DiskStoreOptions.builder()
          .writeBehind(Duration.ZERO).build())) {
        c.removal().accept(remover);
      }
      Map<String, Long> drops = drops(sub);
      long same = drops.get(c.sameScope());
      long before = drops.get(c.beforeScope());
      // A process that journaled these puts and died before applying them.
      WriteJournal dead = WriteJournal.create(sub.resolve(DiskStore.JOURNAL_DIR),
          FileModes.of(DiskStoreOptions.defaults()), false);
      dead.append("unrelated", "anchor", frame("a"), 0, List.of(), Math.min(same, before) - 1000);
      dead.append(c.ns(), "same", frame("same"), 0, c.tags(), same);
      dead.append(c.ns(), "before", frame("before"), 0, c.tags(), before - 1);
      dead.close(false);
      try (DiskStore store = DiskStore.open(sub)) {
        assertThat(store.get(c.ns(), "same")).as(c.name() + ": at the removal's microsecond")
            .isEqualTo(frame("same"));
        assertThat(store.get(c.ns(), "before")).as(c.name() + ": one microsecond earlier")
            .isNull();
      }
    }
  }

  @Test
  void aJournaledPutThatExpiredBeforeItWasAppliedIsCountedAsExpiredAndTakesTheOldValue() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(LONG)
        .clock(clock).build())) {
      store.put(NS, "k", frame("old"), 0, List.of());
      store.put(NS, "alive", frame("old"), 0, List.of());
      store.flush();
      long expires = clock.millis + 1000;
      store.put(NS, "k", frame("brief"), expires, List.of());
      store.put(NS, "alive", frame("brief"), expires + 1, List.of());
      clock.millis = expires;
      store.flush(); // applied at the millisecond "k" expires, the one before "alive" does
      assertThat(store.stats().expirations()).isEqualTo(1);
      assertThat(store.get(NS, "k")).as("neither the expired put nor the old value").isNull();
      assertThat(store.get(NS, "alive")).isEqualTo(frame("brief"));
      assertThat(store.stats().entries()).isEqualTo(1);
    }
  }

  @Test
  void everyPutOfAKeyIsCountedAsAWriteThoughOnlyTheLastReachesTheDatabase() {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(LONG)
        .build())) {
      for (int i = 0; i < 3; i++) {
        store.put(NS, "k", frame("v" + i), 0, List.of());
      }
      store.put(NS, "other", frame("o"), 0, List.of());
      store.flush();
      assertThat(store.stats().writes()).isEqualTo(4);
      assertThat(store.stats().entries()).isEqualTo(2);
      assertThat(store.get(NS, "k")).isEqualTo(frame("v2"));
    }
  }

  @Test
  void aStoreThatCannotCreateItsJournalWritesItsPutsDirectlyAndSaysSoOnce() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(DiskStore.JOURNAL_DIR), "a file where the folder would go");
    StoreWarnings warnings = new StoreWarnings();
    warnings.start();
    try (DiskStore writer = DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(LONG)
        .build()); DiskStore other = DiskStore.open(dir, DiskStoreOptions.builder()
            .writeBehind(LONG).build())) {
      writer.put(NS, "a", frame("a"), 0, List.of());
      writer.put(NS, "b", frame("b"), 0, List.of());
      assertThat(other.get(NS, "a")).as("in the database when the put returns")
          .isEqualTo(frame("a"));
      assertThat(other.get(NS, "b")).isEqualTo(frame("b"));
      assertThat(warnings.messages()).filteredOn(m -> m.contains("cannot create a journal"))
          .hasSize(1);
    } finally {
      warnings.stop();
    }
  }

  @Test
  void emptyJournalsOfAStoppedProcessAreDeletedWhenTheStoreOpens() throws Exception {
    Path journalDir = dir.resolve(DiskStore.JOURNAL_DIR);
    WriteJournal dead = WriteJournal.create(journalDir,
        FileModes.of(DiskStoreOptions.defaults()), false);
    dead.close(false); // stopped between batches: two empty files
    try (Stream<Path> files = Files.list(journalDir)) {
      assertThat(files.count()).isEqualTo(2);
    }
    try (DiskStore store = DiskStore.open(dir)) {
      try (Stream<Path> files = Files.list(journalDir)) {
        assertThat(files.count()).isZero();
      }
      assertThat(store.stats().writes()).isZero();
    }
  }

  @Test
  void removalsOlderThanAnHourAreForgottenAtMostOnceAMinute() throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      long old = nowMicros() - DiskStore.DROP_RETENTION_MICROS - 60_000_000L;
      insertDrop("n:ancient", old);
      store.remove(NS, "k"); // the first removal prunes
      assertThat(drops(dir)).containsKey("k:" + NS + "\nk").doesNotContainKey("n:ancient");
      insertDrop("n:ancient", old);
      store.removeNamespace("x"); // within the minute: no pruning
      assertThat(drops(dir)).containsKeys("n:ancient", "n:x");
    }
  }

  private void insertDrop(String scope, long at) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
        DiskStore.DB_FILE)); PreparedStatement ps = c.prepareStatement(
            "INSERT OR REPLACE INTO drops(scope, at) VALUES (?, ?)")) {
      ps.setString(1, scope);
      ps.setLong(2, at);
      ps.executeUpdate();
    }
  }
}
