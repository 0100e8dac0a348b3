package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.FakeTicker;
import dev.cachet.disk.DiskStore;
import dev.cachet.disk.DiskStoreOptions;
import dev.cachet.tier.InMemoryStore;
import dev.cachet.tier.RemoveCountingStore;
import dev.cachet.tier.StoreContract;
import dev.cachet.tier.StoreStats;
import dev.cachet.tier.StoreTier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LLM answers below memory go through core's tier engine, as memoized results do: each tier
 * keeps them for its own lifetime, hits are counted by tier, and a damaged entry is one miss
 * and one removal. Time is a manual clock and a fake ticker; nothing sleeps.
 */
class LlmTiersTest {
  @TempDir
  Path dir;

  private final StoreContract.ManualClock clock = new StoreContract.ManualClock();
  private final FakeTicker ticker = new FakeTicker();
  private DiskStore disk;
  private Cachet cachet;

  private static final LlmRequest REQUEST = LlmRequest.builder("m").system("terse")
      .user("What is the capital of France?").temperature(0.0).build();

  @AfterEach
  void close() {
    if (cachet != null) {
      cachet.close();
    }
  }

  private DiskStore openDisk() {
    disk = DiskStore.open(dir.resolve("disk"), DiskStoreOptions.builder().clock(clock).build());
    return disk;
  }

  /** Memory keeps answers a minute (by the ticker), the tiers by their own lifetimes. */
  private Cachet.Builder builder() {
    return Cachet.builder().ticker(ticker).clock(clock).expireAfterWrite(Duration.ofMinutes(1));
  }

  private void advance(Duration d) {
    ticker.advance(d);
    clock.advance(d);
  }

  @Test
  void anAnswerLeavesEachTierWhenThatTiersOwnLifetimeEnds() {
    InMemoryStore shared = new InMemoryStore(clock::millis);
    cachet = builder()
        .tier(StoreTier.of(openDisk()).expireAfterWrite(Duration.ofHours(1)))
        .tier(StoreTier.of(shared).expireAfterWrite(Duration.ofDays(1)))
        .build();
    LlmCache llm = LlmCache.builder(cachet).build();
    llm.put(REQUEST, LlmResponse.text("Paris"));

    advance(Duration.ofMinutes(2)); // past memory's minute: the disk tier answers
    assertThat(llm.lookup(REQUEST).outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
    advance(Duration.ofHours(2)); // past the disk tier's hour: only the day-long tier has it
    Lookup late = llm.lookup(REQUEST);

    assertThat(late.outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
    assertThat(late.response().content()).isEqualTo("Paris");
    assertThat(llm.stats().hitsByTier()).containsExactly(
        java.util.Map.entry("memory", 0L), java.util.Map.entry(disk.describe(), 1L),
        java.util.Map.entry(shared.describe(), 1L));

    advance(Duration.ofDays(1));
    assertThat(llm.lookup(REQUEST).outcome()).isEqualTo(Lookup.Outcome.MISS);
  }

  @Test
  void hitsAreCountedByTheTierThatHeldTheAnswer() {
    cachet = builder()
        .tier(StoreTier.of(openDisk()).expireAfterWrite(Duration.ofHours(1)))
        .build();
    LlmCache llm = LlmCache.builder(cachet).build();
    llm.put(REQUEST, LlmResponse.text("Paris"));

    llm.lookup(REQUEST); // memory
    advance(Duration.ofMinutes(2));
    llm.lookup(REQUEST); // disk, promoted into memory
    llm.lookup(REQUEST); // memory again

    LlmCacheStats stats = llm.stats();
    assertThat(stats.exactHits()).isEqualTo(3);
    assertThat(stats.hitsByTier()).containsExactly(java.util.Map.entry("memory", 2L),
        java.util.Map.entry(disk.describe(), 1L));
  }

  @Test
  void theCachesTtlBoundsEveryTiersLifetime() {
    cachet = builder()
        .tier(StoreTier.of(openDisk()).expireAfterWrite(Duration.ofDays(7)))
        .build();
    LlmCache llm = LlmCache.builder(cachet).ttl(Duration.ofMinutes(10)).build();
    llm.put(REQUEST, LlmResponse.text("Paris"));

    advance(Duration.ofMinutes(5));
    assertThat(llm.lookup(REQUEST).outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
    advance(Duration.ofMinutes(6));
    assertThat(llm.lookup(REQUEST).outcome()).isEqualTo(Lookup.Outcome.MISS);
  }

  @Test
  void aDamagedLowerTierAnswerIsOneMissAndIsRemovedOnceByItsStore() throws Exception {
    InMemoryStore upper = new InMemoryStore(clock::millis);
    RemoveCountingStore lower = new RemoveCountingStore(openDisk());
    cachet = builder()
        .store(upper) // memory's minute
        .tier(StoreTier.of(lower).expireAfterWrite(Duration.ofHours(1)))
        .build();
    LlmCache llm = LlmCache.builder(cachet).build();
    llm.put(REQUEST, LlmResponse.text("Paris"));
    advance(Duration.ofMinutes(2)); // memory and the upper tier no longer hold it
    damageExactEntries();
    long corruptionsBefore = disk.stats().corruptions();

    assertThat(llm.lookup(REQUEST).outcome()).isEqualTo(Lookup.Outcome.MISS);
    assertThat(llm.lookup(REQUEST).outcome()).isEqualTo(Lookup.Outcome.MISS);

    StoreStats after = disk.stats();
    assertThat(after.corruptions() - corruptionsBefore).as("removed and counted once")
        .isEqualTo(1);
    assertThat(lower.removes.get()).as("removals asked by the LLM cache or the engine").isZero();
    assertThat(llm.stats().misses()).isEqualTo(2);
    assertThat(llm.stats().hitsByTier().values()).containsOnly(0L);
  }

  /** Flips a payload byte of every stored answer in the disk store's database. */
  private void damageExactEntries() throws Exception {
    disk.flush();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
        + dir.resolve("disk").resolve("cachet.db"))) {
      int damaged = 0;
      try (PreparedStatement select = c.prepareStatement("SELECT namespace, digest, value FROM"
          + " entries WHERE namespace LIKE 'llm:%:exact:%' AND file IS NULL");
          ResultSet rows = select.executeQuery();
          PreparedStatement update = c.prepareStatement(
              "UPDATE entries SET value = ? WHERE namespace = ? AND digest = ?")) {
        while (rows.next()) {
          byte[] bytes = rows.getBytes(3);
          bytes[bytes.length - 5] ^= 1; // the payload's last byte, under the checksum
          update.setBytes(1, bytes);
          update.setString(2, rows.getString(1));
          update.setString(3, rows.getString(2));
          damaged += update.executeUpdate();
        }
      }
      assertThat(damaged).as("answers damaged").isEqualTo(1);
    }
  }
}
