package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes start at once on a store whose database is damaged, as the services of a
 * machine do after a crash or a bad disk: the damaged database is moved aside once, and every
 * process ends up on the same fresh store. Moving it aside twice would move the fresh store
 * that the first process already works on out from under it (its writes then land in a file
 * nobody opens again).
 */
class DamagedStoreOpenRaceTest {
  private static final int PROCESSES = 2;
  /** Rounds of the race; override with -Dcachet.disk.damageRaceRounds=N. */
  private static final int ROUNDS = Integer.getInteger("cachet.disk.damageRaceRounds", 3);
  private static final Duration STEP = Duration.ofSeconds(90);

  @TempDir
  Path tmp;

  @Test
  void processesOpeningADamagedStoreAtOnceMoveItAsideOnceAndShareTheFreshOne()
      throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      race(round);
    }
  }

  private void race(int round) throws Exception {
    Path dir = tmp.resolve("store" + round);
    Path work = Files.createDirectories(tmp.resolve("work" + round));
    try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
      for (int i = 0; i < 50; i++) {
        // Versions 4k+1 are small frames, kept in the database (no side files to orphan).
        store.put(ChildWriter.NS, "old" + i, ChildWriter.value("old" + i, 4L * i + 1), 0,
            List.of());
      }
    }
    Path db = dir.resolve(DiskStore.DB_FILE);
    byte[] bytes = Files.readAllBytes(db);
    Arrays.fill(bytes, 0, 100, (byte) 0x5A); // the header: "file is not a database"
    Files.write(db, bytes);

    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int p = 0; p < PROCESSES; p++) {
        children.add(ChildJvm.start(work, "opener " + p, StoreChild.class, "damaged-open",
            dir.toString(), "fresh" + p));
      }
      for (ChildJvm child : children) {
        child.awaitLine("armed"::equals, STEP);
      }
      for (ChildJvm child : children) {
        child.send("go");
      }
      for (ChildJvm child : children) {
        int exit = child.awaitExit(STEP);
        assertThat(exit).as("round %d: a process opening the damaged store can put and get; %s",
            round, child.finalTranscript()).isZero();
      }
    } finally {
      for (ChildJvm child : children) {
        child.close();
      }
    }
    try (Stream<Path> listed = Files.list(work)) {
      assertThat(listed.map(Path::toString).filter(p -> p.contains("hs_err_pid")))
          .as("JVM crash reports").isEmpty();
    }
    Set<String> movedAside;
    try (Stream<Path> listed = Files.list(dir)) {
      movedAside = listed.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(DiskStore.DB_FILE + ".corrupt-"))
          .map(n -> n.replaceFirst("-(wal|shm)$", ""))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(movedAside).as("round %d: the damaged database is moved aside exactly once",
        round).hasSize(1);
    try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
      for (int p = 0; p < PROCESSES; p++) {
        String key = "fresh" + p;
        byte[] frame = store.get(ChildWriter.NS, key);
        assertThat(frame).as("round %d: what process %d put is in the store every process "
            + "now opens", round, p).isNotNull();
        assertThat(ChildWriter.isRight(key, frame)).isTrue();
      }
      assertThat(store.get(ChildWriter.NS, "old1")).as("the damaged store's entries are gone")
          .isNull();
    }
  }
}
