package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the inspection calls ({@code digests}, {@code entries}, {@code peek}, {@code stats},
 * {@code removeOrphanFiles}) show and refuse: puts still waiting in this process's journal are
 * included, expired entries are not listed, unreadable rows are a null peek rather than an
 * exception, a closed store refuses them all, and limits are checked (docs/TESTING.md: written
 * for mutation testing of {@link Inspection}, {@link SideFiles}, {@link CheckReport} and
 * {@link Eviction}).
 */
class DiskStoreInspectionTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  /** A store whose journal is applied only when something asks for it (or after a minute). */
  private DiskStore journaled(DiskStoreTest.ManualClock clock) {
    return DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .writeBehind(Duration.ofMinutes(1)).build());
  }

  private void update(String sql, Object... args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
        + dir.resolve(DiskStore.DB_FILE)); PreparedStatement ps = c.prepareStatement(sql)) {
      EntryRows.bind(ps, args);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void inspectionSeesPutsStillWaitingInTheJournal() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = journaled(clock)) {
      store.put(NS, "a", frame("a"), 0, List.of("t"));
      assertThat(store.entries(NS, 10)).extracting(EntryInfo::digest).containsExactly("a");
      store.put(NS, "b", frame("b"), 0, List.of());
      assertThat(store.peek(NS, "b")).isNotNull();
      store.put(NS, "c", frame("c"), 0, List.of());
      assertThat(store.stats().entries()).isEqualTo(3);
      store.put(NS, "d", frame("d"), 0, List.of());
      assertThat(store.digests(NS, 10)).containsExactlyInAnyOrder("a", "b", "c", "d");
    }
  }

  @Test
  void digestsListsEntriesThatExpireLaterButNotExpiredOnes() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = journaled(clock)) {
      store.put(NS, "later", frame("l"), clock.millis + 1000, List.of());
      store.put(NS, "now", frame("n"), clock.millis + 10, List.of());
      store.put(NS, "never", frame("v"), 0, List.of());
      store.flush();
      clock.millis += 10;
      assertThat(store.digests(NS, 10)).containsExactlyInAnyOrder("later", "never");
      assertThat(store.digests(NS, 0)).isEmpty();
    }
  }

  @Test
  void limitsOfTheListingsAreChecked() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = journaled(clock)) {
      store.put(NS, "a", frame("a"), 0, List.of());
      assertThat(store.entries(null, 1)).hasSize(1);
      assertThatThrownBy(() -> store.entries(null, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
      assertThatThrownBy(() -> store.entries(NS, null, -1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.digests(NS, -1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }
  }

  @Test
  void aClosedStoreRefusesInspection() {
    DiskStore store = journaled(new DiskStoreTest.ManualClock());
    store.put(NS, "a", frame("a"), 0, List.of());
    store.close();
    assertThatThrownBy(() -> store.peek(NS, "a")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(store::stats).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.entries(null, 10)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.digests(NS, 10)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.removeOrphanFiles(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void peekOfAnUnreadableRowIsNullAndEntriesNamesTheProblem() throws Exception {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = journaled(clock)) {
      byte[] good = frame("a value long enough to damage");
      store.put(NS, "damaged", good, 0, List.of());
      store.put(NS, "foreign", good, 0, List.of());
      store.put(NS, "empty", good, 0, List.of());
      store.put(NS, "fine", good, 0, List.of());
      store.flush();
      byte[] bad = good.clone();
      bad[20] ^= 0x01;
      update("UPDATE entries SET value = ? WHERE digest = 'damaged'", (Object) bad);
      update("UPDATE entries SET value = NULL, file = '../../etc/passwd' "
          + "WHERE digest = 'foreign'");
      update("UPDATE entries SET value = NULL, file = NULL WHERE digest = 'empty'");

      assertThat(store.peek(NS, "damaged")).isNull();
      assertThat(store.peek(NS, "foreign")).isNull();
      assertThat(store.peek(NS, "empty")).isNull();
      assertThat(store.peek(NS, "fine")).isNotNull();
      List<EntryInfo> entries = store.entries(NS, 10);
      assertThat(entries).filteredOn(e -> e.problem() != null).extracting(EntryInfo::digest)
          .containsExactlyInAnyOrder("damaged", "foreign", "empty");
      assertThat(entries).filteredOn(e -> e.digest().equals("foreign")).singleElement()
          .satisfies(e -> assertThat(e.problem()).contains("not one of the store's"));
      assertThat(entries).filteredOn(e -> e.digest().equals("fine")).singleElement()
          .satisfies(e -> {
            assertThat(e.codecId()).isEqualTo("utf8");
            assertThat(e.inline()).isTrue();
          });
    }
  }

  @Test
  void aReportWithProblemsIsNotCleanAndOnlyUnfixedOnesRemain() {
    CheckReport.Problem fixed = new CheckReport.Problem(CheckReport.Kind.ORPHAN_FILE, null,
        "x.entry", "orphan", true);
    CheckReport.Problem left = new CheckReport.Problem(CheckReport.Kind.CORRUPT_ENTRY, NS, "k",
        "damaged", false);
    assertThat(new CheckReport(List.of(), 0, 0).clean()).isTrue();
    CheckReport allFixed = new CheckReport(List.of(fixed), 1, 1);
    assertThat(allFixed.clean()).isFalse();
    assertThat(allFixed.healthy()).isTrue();
    CheckReport notAll = new CheckReport(List.of(fixed, left), 2, 1);
    assertThat(notAll.clean()).isFalse();
    assertThat(notAll.healthy()).isFalse();
    assertThat(notAll.remaining()).containsExactly(left);
  }

  @Test
  void upToTheExactEvictionSizeTheOldestStoredIsAlwaysTheVictim() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    int size = frame(100, 0).length;
    int before = Eviction.EXACT_EVICTION_ROWS - 1; // with the new entry: exactly the bound
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .writeBehind(Duration.ZERO).maximumBytes((long) before * size).build())) {
      for (int i = 0; i < before; i++) {
        store.put(NS, "k" + i, frame(100, i), 0, List.of());
        clock.millis++;
      }
      // A new entry worth several old ones: the victims are exactly the oldest few (a sample
      // of the table would almost never hold all of them).
      byte[] big = frame(400, 7);
      int victims = (big.length + size - 1) / size;
      store.put(NS, "new", big, 0, List.of());
      assertThat(store.stats().evictions()).isEqualTo(victims);
      for (int i = 0; i < victims; i++) {
        assertThat(store.get(NS, "k" + i)).as("k" + i).isNull();
      }
      assertThat(store.get(NS, "k" + victims)).isNotNull();
      assertThat(store.get(NS, "new")).isNotNull();
    }
  }
}
