package dev.cachet.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.cachet.codec.EntryFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link Store}, run against every tier below memory: extend it in the store's
 * module (core publishes its test classes as a {@code test-jar}), implement {@link #newStore()},
 * and every case below runs on the real engine.
 *
 * <p>It checks only what {@link Store}'s Javadoc promises, so that a new engine passing it can
 * be trusted by the core: exact bytes back, replacement, isolation of namespaces, removal by
 * key, namespace, tag and all, expiry, key limits, listing of live digests, damaged entries as
 * counted misses, consistent hit/miss/write counters, many writers at once, and use after
 * close. Where an engine may legitimately differ the suite accepts either behaviour (a put may
 * reject bytes that are not a frame; a store that cannot list may throw
 * {@link UnsupportedOperationException} from {@link Store#digests}).
 *
 * <p>Time: a store that reads an injectable clock returns a {@link ManualClock} from
 * {@link #clock()} and the expiry cases move it by hand. A store on the wall clock (Redis
 * expires keys itself) is tested with real expiries {@link #expiryMargin()} ahead; the suite
 * then waits for the clock to pass them (never a sleep that hopes), and asserts a value's
 * presence only for reads that finished before its expiry, so a slow machine weakens a check
 * but never fails a correct store.
 *
 * <p>A store that fails a case must not be silenced here: override that one test in the
 * store's subclass with {@code @Test @Disabled("contract gap: ...")} and report the gap (the
 * cases are public so that a subclass in the store's package can override them).
 */
public abstract class StoreContract {
  /** SHA-256 hex digests are what the core passes; every engine must hold them verbatim. */
  private static final int DIGEST_CHARS = 64;
  /** The longest namespace {@link Store} promises to hold. */
  private static final int MAX_NAMESPACE_CHARS = 512;

  /** The store under test, opened before each case by {@link #newStore()}. */
  protected Store store;

  /**
   * Opens a new, empty store for one case: a fresh directory, a fresh key prefix. Called once
   * per case, on the test's own instance (JUnit's default lifecycle), so fields set here
   * (a clock, a directory) belong to that case.
   *
   * @return the store; the suite closes it
   * @throws Exception when the store cannot be opened (the case fails)
   */
  protected abstract Store newStore() throws Exception;

  /**
   * Releases what {@link #newStore()} created besides the store (keys on a shared server,
   * temporary directories JUnit does not own). Runs after the store was closed, also when the
   * case failed.
   *
   * @throws Exception when cleaning up fails (the case fails)
   */
  protected void cleanup() throws Exception {
  }

  /**
   * The clock the store reads, when the test controls it: the expiry cases then move time by
   * hand instead of waiting. Null (the default) for a store on the wall clock.
   *
   * @return the store's clock, or null
   */
  protected ManualClock clock() {
    return null;
  }

  /**
   * How far ahead a wall-clock store's expiries are set: long enough that a put and a read
   * usually finish before it, short enough to keep the suite quick. Unused with {@link #clock()}.
   *
   * @return the margin
   */
  protected Duration expiryMargin() {
    return Duration.ofMillis(1500);
  }

  /**
   * Replaces the bytes stored for an existing entry, as damage on disk or in transit would,
   * without going through {@link Store#put} (which may refuse or check them). The default has
   * no way to reach into the store, and the damage case is skipped.
   *
   * @param store the open store holding the entry
   * @param namespace the entry's namespace
   * @param digest the entry's digest
   * @param bytes what the store's medium should hold instead
   * @throws Exception when the bytes cannot be replaced (the case fails)
   */
  protected void overwriteStoredBytes(Store store, String namespace, String digest, byte[] bytes)
      throws Exception {
    Assumptions.abort(getClass().getSimpleName() + " cannot damage a stored entry");
  }

  @BeforeEach
  final void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  final void closeStore() throws Exception {
    try {
      if (store != null) {
        store.close();
      }
    } finally {
      cleanup();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Reads and writes

  @Test
  public void describesItselfForMessagesAndStatistics() {
    assertThat(store.describe()).isNotBlank();
  }

  @Test
  public void aKeyNeverPutIsAMiss() {
    assertThat(store.get("fn:1", digest("absent"))).isNull();
  }

  @Test
  public void getReturnsExactlyTheBytesPutWhateverTheirSize() {
    // Empty, small, past a page, and past the disk store's 64 KiB side-file threshold.
    int[] sizes = {0, 1, 100, 5_000, 200_000};
    Map<String, byte[]> put = new HashMap<>();
    for (int size : sizes) {
      String d = digest("size-" + size);
      byte[] f = frame(size, size, 0, List.of("size"));
      putFrame("fn:1", d, f);
      put.put(d, f);
    }
    put.forEach((d, f) -> assertThat(store.get("fn:1", d)).as("frame of %d bytes", f.length)
        .isEqualTo(f));
  }

  @Test
  public void aPutReplacesThePreviousEntry() {
    String d = digest("k");
    putFrame("fn:1", d, frame(1, 40, 0, List.of()));
    byte[] second = frame(2, 70_000, 0, List.of()); // inline to side file, on disk
    putFrame("fn:1", d, second);
    assertThat(store.get("fn:1", d)).isEqualTo(second);
    byte[] third = frame(3, 10, 0, List.of()); // and back
    putFrame("fn:1", d, third);
    assertThat(store.get("fn:1", d)).isEqualTo(third);
  }

  @Test
  public void replacingAnEntryReplacesItsTags() {
    String d = digest("k");
    putFrame("fn:1", d, frame(1, 40, 0, List.of("old")));
    byte[] replacement = frame(2, 40, 0, List.of("new"));
    putFrame("fn:1", d, replacement);

    // The replacement does not carry "old": removing that tag must leave it alone.
    assertThat(store.removeTag("old")).isZero();
    assertThat(store.get("fn:1", d)).isEqualTo(replacement);
    assertThat(store.removeTag("new")).isEqualTo(1);
    assertThat(store.get("fn:1", d)).isNull();
  }

  @Test
  public void removeDeletesOneEntryAndSaysWhetherItWasThere() {
    String a = digest("a");
    String b = digest("b");
    byte[] fb = frame(2, 40, 0, List.of());
    putFrame("fn:1", a, frame(1, 40, 0, List.of()));
    putFrame("fn:1", b, fb);

    assertThat(store.remove("fn:1", a)).isTrue();
    assertThat(store.get("fn:1", a)).isNull();
    assertThat(store.remove("fn:1", a)).as("already removed").isFalse();
    assertThat(store.remove("fn:1", digest("never put"))).isFalse();
    assertThat(store.remove("fn:2", b)).as("same digest, other namespace").isFalse();
    assertThat(store.get("fn:1", b)).isEqualTo(fb);
  }

  // ---------------------------------------------------------------------------------------
  // Namespaces, tags, clear

  /**
   * Namespaces that share a beginning, or hold characters that are special to some engine
   * (Redis key separators, glob patterns and hash tags), must never see each other's entries.
   */
  private static final List<String> LOOKALIKE_NAMESPACES = List.of("fn", "fn:1", "fn:1:x",
      "fn1", "fn*", "fn?", "f[n]", "fn\\", "{fn}", "fn with spaces", "名前:1:ünïcode:🙂");

  @Test
  public void namespacesThatLookAlikeNeverShareEntries() {
    String d = digest("same digest everywhere");
    Map<String, byte[]> put = new HashMap<>();
    int seed = 0;
    for (String ns : LOOKALIKE_NAMESPACES) {
      byte[] f = frame(seed++, 30, 0, List.of());
      putFrame(ns, d, f);
      put.put(ns, f);
    }
    put.forEach((ns, f) -> assertThat(store.get(ns, d)).as("namespace %s", ns).isEqualTo(f));
    assertThat(store.get("f", d)).isNull();
  }

  @Test
  public void removeNamespaceRemovesThatNamespaceOnlyAndCountsWhatItRemoved() {
    for (String ns : LOOKALIKE_NAMESPACES) {
      for (int i = 0; i < 3; i++) {
        putFrame(ns, digest("k" + i), frame(i, 30, 0, List.of("shared")));
      }
    }
    for (String ns : List.of("fn", "fn*", "{fn}")) {
      assertThat(store.removeNamespace(ns)).as("removed from %s", ns).isEqualTo(3);
      assertThat(store.get(ns, digest("k0"))).as("namespace %s", ns).isNull();
    }
    for (String ns : LOOKALIKE_NAMESPACES) {
      if (!List.of("fn", "fn*", "{fn}").contains(ns)) {
        for (int i = 0; i < 3; i++) {
          assertThat(store.get(ns, digest("k" + i))).as("namespace %s", ns)
              .isEqualTo(frame(i, 30, 0, List.of("shared")));
        }
      }
    }
    assertThat(store.removeNamespace("fn")).as("nothing left").isZero();
    assertThat(store.removeNamespace("never used")).isZero();

    // The namespace is usable again at once.
    byte[] again = frame(9, 30, 0, List.of());
    putFrame("fn", digest("k0"), again);
    assertThat(store.get("fn", digest("k0"))).isEqualTo(again);
  }

  @Test
  public void removeTagRemovesEveryEntryCarryingItInEveryNamespace() {
    // Tags with characters special to some engine: separators, a Redis hash tag's braces.
    String user = "user:42";
    String odd = "a}b{c ü";
    byte[] both1 = frame(1, 30, 0, List.of(user, odd));
    byte[] userOnly = frame(2, 30, 0, List.of("x", user));
    byte[] oddOnly = frame(3, 30, 0, List.of(odd));
    byte[] untagged = frame(4, 30, 0, List.of());
    byte[] both2 = frame(5, 30, 0, List.of(odd, user, "y"));
    putFrame("fn:1", digest("1"), both1);
    putFrame("fn:1", digest("2"), userOnly);
    putFrame("fn:2", digest("3"), oddOnly);
    putFrame("fn:2", digest("4"), untagged);
    putFrame("other", digest("5"), both2);

    assertThat(store.removeTag(user)).isEqualTo(3);
    assertThat(store.get("fn:1", digest("1"))).isNull();
    assertThat(store.get("fn:1", digest("2"))).isNull();
    assertThat(store.get("other", digest("5"))).isNull();
    assertThat(store.get("fn:2", digest("3"))).isEqualTo(oddOnly);
    assertThat(store.get("fn:2", digest("4"))).isEqualTo(untagged);

    assertThat(store.removeTag(user)).as("nothing carries it any more").isZero();
    assertThat(store.removeTag(odd)).as("only the entry not removed yet").isEqualTo(1);
    assertThat(store.get("fn:2", digest("3"))).isNull();
    assertThat(store.removeTag("never used")).isZero();
    assertThat(store.get("fn:2", digest("4"))).isEqualTo(untagged);

    // A removed tag can label new entries.
    byte[] fresh = frame(6, 30, 0, List.of(user));
    putFrame("fn:1", digest("1"), fresh);
    assertThat(store.get("fn:1", digest("1"))).isEqualTo(fresh);
    assertThat(store.removeTag(user)).isEqualTo(1);
  }

  @Test
  public void clearRemovesEveryEntryAndLeavesTheStoreUsable() {
    for (String ns : List.of("fn:1", "fn:2", "名前")) {
      for (int i = 0; i < 3; i++) {
        putFrame(ns, digest("k" + i), frame(i, 100, 0, List.of("t")));
      }
    }
    store.clear();
    for (String ns : List.of("fn:1", "fn:2", "名前")) {
      for (int i = 0; i < 3; i++) {
        assertThat(store.get(ns, digest("k" + i))).isNull();
      }
      assertThat(digestsOrSkip(ns, 10)).isEmpty();
    }
    assertThat(store.removeTag("t")).as("the tag index was cleared too").isZero();

    byte[] after = frame(7, 100, 0, List.of("t"));
    putFrame("fn:1", digest("k0"), after);
    assertThat(store.get("fn:1", digest("k0"))).isEqualTo(after);
  }

  // ---------------------------------------------------------------------------------------
  // Expiry

  @Test
  public void anExpiredEntryIsNeverReturned() throws Exception {
    String d = digest("k");
    long expiresAt = now() + expiryMargin().toMillis();
    byte[] f = frame(1, 40, expiresAt, List.of());
    putFrame("fn:1", d, f);
    assertLiveUnlessExpired("fn:1", d, f, expiresAt);

    passExpiry(expiresAt);
    assertThat(store.get("fn:1", d)).isNull();
    assertThat(store.get("fn:1", d)).as("still not, on a second read").isNull();
  }

  @Test
  public void anEntryWithoutExpiryOutlivesOnesThatExpire() throws Exception {
    String forever = digest("forever");
    String brief = digest("brief");
    long expiresAt = now() + expiryMargin().toMillis();
    byte[] kept = frame(1, 40, 0, List.of());
    putFrame("fn:1", forever, kept);
    putFrame("fn:1", brief, frame(2, 40, expiresAt, List.of()));

    passExpiry(expiresAt);
    if (clock() != null) {
      clock().advance(Duration.ofDays(3650)); // "never" is longer than any expiry
    }
    assertThat(store.get("fn:1", brief)).isNull();
    assertThat(store.get("fn:1", forever)).isEqualTo(kept);
  }

  @Test
  public void replacingAnEntryReplacesItsExpiry() throws Exception {
    String extended = digest("extended");
    String shortened = digest("shortened");
    long expiresAt = now() + expiryMargin().toMillis();
    putFrame("fn:1", extended, frame(1, 40, expiresAt, List.of()));
    byte[] forever = frame(2, 40, 0, List.of());
    putFrame("fn:1", extended, forever);
    putFrame("fn:1", shortened, frame(3, 40, 0, List.of()));
    byte[] expiring = frame(4, 40, expiresAt, List.of());
    putFrame("fn:1", shortened, expiring);

    passExpiry(expiresAt);
    assertThat(store.get("fn:1", extended)).as("replaced without expiry").isEqualTo(forever);
    assertThat(store.get("fn:1", shortened)).as("replaced with an expiry").isNull();
  }

  @Test
  public void aPutWhoseExpiryHasPassedRemovesTheOldValue() {
    String d = digest("k");
    String atNow = digest("at now");
    putFrame("fn:1", d, frame(1, 40, 0, List.of("t")));
    putFrame("fn:1", atNow, frame(2, 40, 0, List.of("t")));

    long past = now() - 1000;
    putFrame("fn:1", d, frame(3, 40, past, List.of("t")));
    assertThat(store.get("fn:1", d)).isNull();
    // An expiry equal to the store's time has passed too (EntryFrame.isExpired).
    long current = now();
    putFrame("fn:1", atNow, frame(4, 40, current, List.of("t")));
    assertThat(store.get("fn:1", atNow)).isNull();
    assertThat(digestsOrSkip("fn:1", 10)).isEmpty();
  }

  @Test
  public void digestsNeverListAnExpiredEntry() throws Exception {
    long expiresAt = now() + expiryMargin().toMillis();
    putFrame("fn:1", digest("brief"), frame(1, 40, expiresAt, List.of()));
    putFrame("fn:1", digest("kept"), frame(2, 40, 0, List.of()));

    passExpiry(expiresAt);
    // A store whose server expires keys itself (Redis: PX, relative to when the command
    // arrived) may list an entry for the moments its clock runs behind ours; reads never
    // return it (anExpiredEntryIsNeverReturned), but the listing is given a few seconds.
    eventually(() -> !digestsOrSkip("fn:1", 10).contains(digest("brief")),
        clock() != null ? Duration.ZERO : Duration.ofSeconds(5),
        () -> "the expired entry is still listed: " + digestsOrSkip("fn:1", 10));
    assertThat(digestsOrSkip("fn:1", 10)).containsExactly(digest("kept"));
  }

  // ---------------------------------------------------------------------------------------
  // Key limits and arguments

  @Test
  public void namespacesUpToTheLimitAreHeldVerbatim() {
    String ascii = "n".repeat(MAX_NAMESPACE_CHARS - 1);
    // Two namespaces that differ only in their last character, at the limit.
    String longA = ascii + "a";
    String longB = ascii + "b";
    // 512 chars of printable non-ASCII text, supplementary characters included.
    String unicode = "ü名🙂".repeat(MAX_NAMESPACE_CHARS / 4);
    assertThat(unicode).hasSize(MAX_NAMESPACE_CHARS);
    String d = digest("k");
    byte[] fa = frame(1, 40, 0, List.of());
    byte[] fb = frame(2, 40, 0, List.of());
    byte[] fu = frame(3, 40, 0, List.of());
    putFrame(longA, d, fa);
    putFrame(longB, d, fb);
    putFrame(unicode, d, fu);

    assertThat(store.get(longA, d)).isEqualTo(fa);
    assertThat(store.get(longB, d)).isEqualTo(fb);
    assertThat(store.get(unicode, d)).isEqualTo(fu);
    assertThat(digestsOrSkip(unicode, 10)).containsExactly(d);
    assertThat(store.removeNamespace(longA)).isEqualTo(1);
    assertThat(store.get(longB, d)).isEqualTo(fb);
  }

  @Test
  public void digestsThatDifferInOneCharacterAreDistinctKeys() {
    String d = digest("k");
    String[] variants = {d, d.substring(0, DIGEST_CHARS - 1) + (d.endsWith("0") ? "1" : "0"),
        (d.startsWith("f") ? "e" : "f") + d.substring(1)};
    for (int i = 0; i < variants.length; i++) {
      putFrame("fn:1", variants[i], frame(i, 30, 0, List.of()));
    }
    for (int i = 0; i < variants.length; i++) {
      assertThat(store.get("fn:1", variants[i])).isEqualTo(frame(i, 30, 0, List.of()));
    }
    assertThat(digestsOrSkip("fn:1", 10)).containsExactlyInAnyOrder(variants);
  }

  @Test
  public void nullArgumentsAreRejectedWithNullPointerException() {
    String d = digest("k");
    byte[] f = frame(1, 10, 0, List.of());
    List<String> nullTag = Arrays.asList("t", null);
    assertNpe(() -> store.get(null, d));
    assertNpe(() -> store.get("fn:1", null));
    assertNpe(() -> store.put(null, d, f, 0, List.of()));
    assertNpe(() -> store.put("fn:1", null, f, 0, List.of()));
    assertNpe(() -> store.put("fn:1", d, null, 0, List.of()));
    assertNpe(() -> store.put("fn:1", d, f, 0, null));
    assertNpe(() -> store.put("fn:1", d, f, 0, nullTag));
    assertNpe(() -> store.remove(null, d));
    assertNpe(() -> store.remove("fn:1", null));
    assertNpe(() -> store.removeNamespace(null));
    assertNpe(() -> store.removeTag(null));
    assertThat(store.get("fn:1", d)).as("no rejected put stored anything").isNull();
    try {
      store.digests("fn:1", 1);
    } catch (UnsupportedOperationException cannotList) {
      return;
    }
    assertNpe(() -> store.digests(null, 1));
  }

  // ---------------------------------------------------------------------------------------
  // Listing

  @Test
  public void digestsListTheLiveEntriesOfOneNamespaceOnly() {
    Set<String> live = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      String d = digest("k" + i);
      putFrame("fn:1", d, frame(i, 30, 0, List.of()));
      live.add(d);
    }
    putFrame("fn:1", digest("removed"), frame(9, 30, 0, List.of()));
    store.remove("fn:1", digest("removed"));
    putFrame("fn:1:x", digest("lookalike"), frame(10, 30, 0, List.of()));
    putFrame("fn", digest("prefix"), frame(11, 30, 0, List.of()));

    assertThat(digestsOrSkip("fn:1", 100)).containsExactlyInAnyOrderElementsOf(live);
    assertThat(digestsOrSkip("fn:1:x", 100)).containsExactly(digest("lookalike"));
    assertThat(digestsOrSkip("never used", 100)).isEmpty();
  }

  @Test
  public void digestsReturnAtMostTheLimit() {
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      String d = digest("k" + i);
      putFrame("fn:1", d, frame(i, 30, 0, List.of()));
      all.add(d);
    }
    List<String> three = digestsOrSkip("fn:1", 3);
    assertThat(three).hasSize(3).doesNotHaveDuplicates();
    assertThat(all).containsAll(three);
    assertThat(digestsOrSkip("fn:1", 7)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(digestsOrSkip("fn:1", 1000)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(digestsOrSkip("fn:1", 0)).isEmpty();
  }

  @Test
  public void digestsRejectANegativeLimit() {
    digestsOrSkip("fn:1", 1);
    assertThatThrownBy(() -> store.digests("fn:1", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------------------------------
  // Damage

  @Test
  public void aDamagedEntryIsAMissRemovedAndCountedOnce() throws Exception {
    String d = digest("k");
    String neighbour = digest("neighbour");
    byte[] f = frame(1, 200, 0, List.of("t"));
    byte[] kept = frame(2, 200, 0, List.of("t"));
    putFrame("fn:1", d, f);
    putFrame("fn:1", neighbour, kept);
    long corruptionsBefore = store.stats().corruptions();
    overwriteStoredBytes(store, "fn:1", d, flipPayloadBit(f));

    assertThat(store.get("fn:1", d)).isNull();
    assertThat(store.stats().corruptions()).isEqualTo(corruptionsBefore + 1);
    // Removed: a second read finds nothing to count.
    assertThat(store.get("fn:1", d)).isNull();
    assertThat(store.stats().corruptions()).isEqualTo(corruptionsBefore + 1);
    assertThat(store.get("fn:1", neighbour)).isEqualTo(kept);
  }

  @Test
  public void bytesThatAreNotAnIntactFrameAreNeverReturned() {
    // Store.put takes EntryFrame bytes; a store may refuse others (a programming error), but
    // whatever it accepted and cannot verify is "unreadable": get returns null.
    byte[] damaged = flipPayloadBit(frame(1, 200, 0, List.of()));
    byte[] notAFrame = "{\"json\":1}".getBytes(StandardCharsets.UTF_8);
    for (byte[] bytes : List.of(damaged, notAFrame, new byte[0])) {
      String d = digest("bad-" + bytes.length);
      try {
        store.put("fn:1", d, bytes, 0, List.of());
      } catch (IllegalArgumentException refused) {
        continue;
      }
      assertThat(store.get("fn:1", d)).as("%d bytes that fail EntryFrame.verify", bytes.length)
          .isNull();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Statistics

  @Test
  public void statsCountHitsMissesAndWrites() throws Exception {
    StoreStats before = store.stats();
    String a = digest("a");
    String b = digest("b");
    putFrame("fn:1", a, frame(1, 30, 0, List.of()));
    putFrame("fn:1", b, frame(2, 30, 0, List.of()));
    putFrame("fn:1", b, frame(3, 30, 0, List.of())); // a replacement is a write too
    store.get("fn:1", a); // hit
    store.get("fn:1", b); // hit
    store.get("fn:1", b); // hit
    store.get("fn:1", digest("absent")); // miss
    store.get("fn:2", a); // miss: other namespace
    store.remove("fn:1", a);
    store.get("fn:1", a); // miss: removed

    StoreStats after = store.stats();
    assertThat(after.hits() - before.hits()).as("hits").isEqualTo(3);
    assertThat(after.misses() - before.misses()).as("misses").isEqualTo(3);
    assertThat(after.writes() - before.writes()).as("writes").isEqualTo(3);
    assertThat(after.failures() - before.failures()).as("failures").isZero();
    assertThat(after.corruptions() - before.corruptions()).as("corruptions").isZero();
  }

  @Test
  public void anExpiredEntryIsCountedAsAMiss() throws Exception {
    long expiresAt = now() + expiryMargin().toMillis();
    putFrame("fn:1", digest("k"), frame(1, 30, expiresAt, List.of()));
    passExpiry(expiresAt);
    StoreStats before = store.stats();
    assertThat(store.get("fn:1", digest("k"))).isNull();
    StoreStats after = store.stats();
    assertThat(after.misses() - before.misses()).isEqualTo(1);
    assertThat(after.hits() - before.hits()).isZero();
  }

  // ---------------------------------------------------------------------------------------
  // Concurrency

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  public void concurrentWritersLeaveEveryKeyWithAValueOneOfThemWrote() throws Exception {
    int threads = 8;
    int ops = 150;
    List<String> shared = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      shared.add(digest("shared-" + i));
    }
    // Every frame ever put under a shared key: a read must return one of them, whole.
    Set<ByteBuffer> written = ConcurrentHashMap.newKeySet();
    // Each thread's own keys, whose final value is known: the last one that thread put.
    List<Map<String, byte[]>> finals = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Map<String, byte[]> own = new HashMap<>();
        finals.add(own);
        done.add(pool.submit(() -> {
          Random random = new Random(thread);
          start.await();
          for (int i = 0; i < ops; i++) {
            int seed = thread * 100_000 + i;
            // Mostly small frames; now and then one past the disk store's side-file threshold.
            int size = i % 40 == 39 ? 70_000 : 1 + random.nextInt(4000);
            byte[] f = frame(seed, size, 0, List.of("t" + thread, "all"));
            String sharedKey = shared.get(random.nextInt(shared.size()));
            if (random.nextInt(5) == 0) {
              store.remove("concurrent:shared", sharedKey);
            } else {
              written.add(ByteBuffer.wrap(f));
              putFrame("concurrent:shared", sharedKey, f);
            }
            String ownKey = digest("own-" + thread + "-" + random.nextInt(6));
            if (random.nextInt(6) == 0) {
              store.remove("concurrent:own", ownKey);
              own.put(ownKey, null);
            } else {
              putFrame("concurrent:own", ownKey, f);
              own.put(ownKey, f);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(150, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (String key : shared) {
      byte[] got = store.get("concurrent:shared", key);
      if (got != null) {
        assertThat(written).as("shared key %s holds a frame some writer put, whole", key)
            .contains(ByteBuffer.wrap(got));
      }
    }
    Set<String> ownLive = new HashSet<>();
    for (Map<String, byte[]> own : finals) {
      own.forEach((key, f) -> {
        assertThat(store.get("concurrent:own", key)).as("own key %s", key).isEqualTo(f);
        if (f != null) {
          ownLive.add(key);
        }
      });
    }
    assertThat(digestsOrSkip("concurrent:own", 1000)).containsExactlyInAnyOrderElementsOf(ownLive);
  }

  // ---------------------------------------------------------------------------------------
  // Close

  @Test
  public void everyOperationAfterCloseThrowsIllegalStateException() {
    String d = digest("k");
    byte[] f = frame(1, 10, 0, List.of());
    putFrame("fn:1", d, f);
    store.close();
    assertIse(() -> store.get("fn:1", d));
    assertIse(() -> store.put("fn:1", d, f, 0, List.of()));
    assertIse(() -> store.remove("fn:1", d));
    assertIse(() -> store.removeNamespace("fn:1"));
    assertIse(() -> store.removeTag("t"));
    assertIse(() -> store.clear());
    try {
      store.digests("fn:1", 1);
      fail("digests after close returned instead of throwing");
    } catch (IllegalStateException | UnsupportedOperationException expected) {
      // UnsupportedOperationException: a store that cannot list never could.
    }
  }

  @Test
  public void closeIsIdempotentAndNeverThrows() {
    putFrame("fn:1", digest("k"), frame(1, 10, 0, List.of()));
    assertThatCode(() -> {
      store.close();
      store.close();
    }).doesNotThrowAnyException();
  }

  // ---------------------------------------------------------------------------------------
  // Helpers, open to subclasses for cases of their own

  /**
   * A clock the test moves by hand, for stores that take a {@link Clock}. Starts at a fixed
   * recent instant; thread-safe.
   */
  public static final class ManualClock extends Clock {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
      return millis.get();
    }

    /**
     * Moves time forward.
     *
     * @param d how far
     */
    public void advance(Duration d) {
      millis.addAndGet(d.toMillis());
    }
  }

  /**
   * The store's current time, as it compares expiries.
   *
   * @return epoch milliseconds
   */
  protected final long now() {
    ManualClock c = clock();
    return c != null ? c.millis() : System.currentTimeMillis();
  }

  /**
   * Lets the store's time pass {@code expiresAt}: moves the manual clock, or waits for the wall
   * clock (a wait for a condition, not a guess).
   */
  protected final void passExpiry(long expiresAt) throws InterruptedException {
    ManualClock c = clock();
    if (c != null) {
      c.advance(Duration.ofMillis(Math.max(0, expiresAt - c.millis() + 1)));
      return;
    }
    long remaining;
    while ((remaining = expiresAt + 1 - System.currentTimeMillis()) > 0) {
      Thread.sleep(Math.min(remaining, 50));
    }
  }

  /**
   * A digest as the core makes them: the SHA-256 of {@code label}, 64 lowercase hex digits.
   *
   * @param label anything
   * @return the digest
   */
  protected static String digest(String label) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(label.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(DIGEST_CHARS);
      for (byte b : hash) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /**
   * A real frame whose payload is {@code size} bytes determined by {@code seed}: equal
   * arguments give equal bytes, so a test can rebuild what it expects.
   *
   * @param seed what the payload is made of
   * @param size payload bytes
   * @param expiresAt the frame's expiry (epoch millis, 0 for never), as the core writes it
   * @param tags the frame's tags
   * @return the frame's bytes
   */
  protected static byte[] frame(int seed, int size, long expiresAt, List<String> tags) {
    byte[] payload = new byte[size];
    new Random(seed).nextBytes(payload);
    return new EntryFrame("bytes", "contract:" + seed, 1_600_000_000_000L, expiresAt, tags,
        payload).encode();
  }

  /** Puts a frame with the expiry and tags it carries, as the core does. */
  protected final void putFrame(String namespace, String digest, byte[] frame) {
    EntryFrame f = EntryFrame.decode(frame);
    store.put(namespace, digest, frame, f.expiresAtMillis(), f.tags());
  }

  /** {@code frame} with one payload bit flipped: intact layout, wrong checksum. */
  protected static byte[] flipPayloadBit(byte[] frame) {
    byte[] damaged = frame.clone();
    damaged[damaged.length - 5] ^= 0x01; // the payload's last byte, before the CRC32C
    return damaged;
  }

  /** The store's listing, or this case skipped when the store cannot list (allowed). */
  protected final List<String> digestsOrSkip(String namespace, int limit) {
    try {
      return store.digests(namespace, limit);
    } catch (UnsupportedOperationException e) {
      Assumptions.abort(store.describe() + " cannot list entries: " + e.getMessage());
      return List.of();
    }
  }

  /**
   * A read made before {@code expiresAt} passed returns the frame; one made after returns
   * nothing; one that straddled it may return either.
   */
  private void assertLiveUnlessExpired(String ns, String d, byte[] f, long expiresAt) {
    long before = now();
    byte[] got = store.get(ns, d);
    long after = now();
    if (after < expiresAt) {
      assertThat(got).as("read before the expiry").isEqualTo(f);
    } else if (before >= expiresAt) {
      assertThat(got).as("read after the expiry").isNull();
    } else if (got != null) {
      assertThat(got).isEqualTo(f);
    }
  }

  private static void eventually(BooleanSupplier condition, Duration within,
      java.util.function.Supplier<String> message) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        fail(message.get());
      }
      Thread.sleep(20);
    }
  }

  private static void assertNpe(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(NullPointerException.class);
  }

  private static void assertIse(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(IllegalStateException.class);
  }
}
