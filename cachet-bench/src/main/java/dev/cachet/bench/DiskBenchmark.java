package dev.cachet.bench;

import dev.cachet.Cachet;
import dev.cachet.EvictionPolicy;
import dev.cachet.MemoizedFunction;
import dev.cachet.codec.EntryFrame;
import dev.cachet.disk.DiskStore;
import dev.cachet.disk.DiskStoreOptions;
import dev.cachet.disk.EvictionMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The disk tier ({@link DiskStore}) next to plain sqlite-jdbc on the same machine and file
 * system, for 100-byte and 100 KB values.
 *
 * <ul>
 *   <li>{@code get100B}, {@code get100KB}: {@code DiskStore.get} of a present key, keys read in
 *       a uniform random order ({@value #SMALL_KEYS} small or {@value #LARGE_KEYS} large
 *       entries), default eviction order.</li>
 *   <li>{@code getLru100B}: the same on a store with {@link EvictionMode#LRU} (a limit it
 *       never reaches, so only the policy's bookkeeping differs).</li>
 *   <li>{@code put100B}: {@code DiskStore.put} replacing a present key; returns once the put
 *       is in the process's journal (durable against a crash of the process), which the store
 *       writes to SQLite in large transactions within 20 ms.</li>
 *   <li>{@code put100KB}: the same for a side file, which is written, synced, renamed and
 *       committed before the put returns.</li>
 *   <li>{@code floorGet*}, {@code floorPut*}: plain sqlite-jdbc on a same-shaped table in
 *       another file of the same directory (WAL, {@code synchronous=NORMAL}), one connection
 *       per thread, one prepared statement each, autocommit puts ({@code INSERT OR REPLACE}).
 *       The floor: what the driver and SQLite cost without Cachet's bookkeeping.</li>
 *   <li>{@code memoizedDiskHit}: {@code memoize(...).apply(key)} on a Cachet whose memory
 *       tier holds nothing ({@code policy(LRU).maximumSize(0)}) over a DiskStore: key
 *       snapshot and digest, disk read, checksum, JSON decode of a 100-character String.</li>
 * </ul>
 *
 * <p>Abstract: {@link DiskOneThread} and {@link DiskTwoThreads} run these at 1 and 2 threads.
 * Throughput in operations per second, summed over threads. Each trial builds its stores in a
 * fresh temporary directory (under {@code java.io.tmpdir}) and deletes it afterwards.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class DiskBenchmark {
  static final int SMALL_KEYS = 10_000;
  static final int LARGE_KEYS = 100;
  static final int SMALL = 100;
  static final int LARGE = 100 * 1024;
  static final int SEQUENCE_LENGTH = 1 << 16;
  static final String NS = "bench:1:code:type";

  /** The memoized function: returns a 100-character value, so hits decode 100 characters. */
  static String value(String key) {
    return "v".repeat(SMALL - key.length()) + key;
  }

  /** Stores, keys and the floor database, shared by the benchmark's threads. */
  @State(Scope.Benchmark)
  public static class Stores {
    Path dir;
    DiskStore store;
    DiskStore lruStore;
    DiskStore memoStore;
    Cachet cachet;
    MemoizedFunction<String, String> memoized;
    String[] smallKeys;
    String[] largeKeys;
    String[] memoArgs;
    byte[] smallFrame;
    byte[] largeFrame;
    byte[] smallPayload;
    byte[] largePayload;
    Path floorDb;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      dir = Files.createTempDirectory("cachet-disk-bench");
      smallPayload = payload(SMALL, 1);
      largePayload = payload(LARGE, 2);
      smallFrame = frame(smallPayload);
      largeFrame = frame(largePayload);
      smallKeys = keys("s", SMALL_KEYS);
      largeKeys = keys("l", LARGE_KEYS);
      store = DiskStore.open(dir.resolve("store"));
      lruStore = DiskStore.open(dir.resolve("lru"), DiskStoreOptions.builder()
          .eviction(EvictionMode.LRU).maximumBytes(1L << 40).build());
      for (String k : smallKeys) {
        store.put(NS, k, smallFrame, 0, List.of());
        lruStore.put(NS, k, smallFrame, 0, List.of());
      }
      for (String k : largeKeys) {
        store.put(NS, k, largeFrame, 0, List.of());
      }
      floorDb = dir.resolve("floor.db");
      try (Connection c = floorConnection(floorDb); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, "
            + "digest TEXT NOT NULL, value BLOB, UNIQUE(namespace, digest))");
        s.execute("BEGIN");
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO entries(namespace, digest, value) VALUES (?, ?, ?)")) {
          for (String k : smallKeys) {
            insert(ps, k, smallFrame);
          }
          for (String k : largeKeys) {
            insert(ps, k, largeFrame);
          }
        }
        s.execute("COMMIT");
      }
      memoStore = DiskStore.open(dir.resolve("memo"));
      // maximumSize(0) under LRU: every result is evicted from memory as it is stored, so each
      // call goes to the disk tier.
      cachet = Cachet.builder().policy(EvictionPolicy.LRU).maximumSize(0).store(memoStore).build();
      memoized = cachet.memoize("diskHit", DiskBenchmark::value);
      memoArgs = new String[SMALL_KEYS];
      for (int i = 0; i < SMALL_KEYS; i++) {
        memoArgs[i] = "arg-" + i;
        memoized.apply(memoArgs[i]);
      }
      long before = memoStore.stats().hits();
      for (int i = 0; i < 100; i++) {
        memoized.apply(memoArgs[i]);
      }
      if (memoStore.stats().hits() - before < 100) {
        throw new IllegalStateException("memoizedDiskHit would not be served by the disk tier: "
            + (memoStore.stats().hits() - before) + " of 100 calls reached it");
      }
    }

    private static void insert(PreparedStatement ps, String key, byte[] frame)
        throws SQLException {
      ps.setString(1, NS);
      ps.setString(2, key);
      ps.setBytes(3, frame);
      ps.executeUpdate();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      cachet.close();
      store.close();
      lruStore.close();
      memoStore.close();
      DirectoryTrees.delete(dir);
    }
  }

  static Connection floorConnection(Path db) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA busy_timeout=5000");
    }
    return c;
  }

  static byte[] payload(int size, int seed) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static byte[] frame(byte[] payload) {
    return new EntryFrame("bytes", "byte[]", 1L, 0L, List.of(), payload).encode();
  }

  /** SHA-256 hex digests, as the memo layer writes them. */
  static String[] keys(String prefix, int n) throws NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = HexFormat.of().formatHex(
          sha.digest((prefix + i).getBytes(StandardCharsets.UTF_8)));
    }
    return keys;
  }

  /** Each thread's own access order and floor connection. */
  @State(Scope.Thread)
  public static class Cursor {
    int[] smallOrder;
    int[] largeOrder;
    int i;
    Connection floor;
    PreparedStatement floorGet;
    PreparedStatement floorPut;

    @Setup(Level.Trial)
    public void setUp(Stores stores, ThreadParams thread) throws SQLException {
      init(stores, thread.getThreadIndex());
    }

    /** The setup without JMH's thread parameters, for the smoke test. */
    void init(Stores stores, int threadIndex) throws SQLException {
      SplittableRandom random = new SplittableRandom(42 + threadIndex);
      smallOrder = random.ints(SEQUENCE_LENGTH, 0, SMALL_KEYS).toArray();
      largeOrder = random.ints(SEQUENCE_LENGTH, 0, LARGE_KEYS).toArray();
      floor = floorConnection(stores.floorDb);
      floorGet = floor.prepareStatement(
          "SELECT value FROM entries WHERE namespace = ? AND digest = ?");
      floorPut = floor.prepareStatement(
          "INSERT OR REPLACE INTO entries(namespace, digest, value) VALUES (?, ?, ?)");
    }

    int next() {
      i = (i + 1) & (SEQUENCE_LENGTH - 1);
      return i;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
      floor.close();
    }
  }

  private static byte[] floorGet(Cursor c, String key) throws SQLException {
    c.floorGet.setString(1, NS);
    c.floorGet.setString(2, key);
    try (ResultSet rs = c.floorGet.executeQuery()) {
      return rs.next() ? rs.getBytes(1) : null;
    }
  }

  private static void floorPut(Cursor c, String key, byte[] frame) throws SQLException {
    c.floorPut.setString(1, NS);
    c.floorPut.setString(2, key);
    c.floorPut.setBytes(3, frame);
    c.floorPut.executeUpdate();
  }

  /** A present 100-byte entry, default eviction order. */
  @Benchmark
  public byte[] get100B(Stores s, Cursor c) {
    return s.store.get(NS, s.smallKeys[c.smallOrder[c.next()]]);
  }

  /** A present 100-byte entry on an LRU store (access times recorded and batched). */
  @Benchmark
  public byte[] getLru100B(Stores s, Cursor c) {
    return s.lruStore.get(NS, s.smallKeys[c.smallOrder[c.next()]]);
  }

  /** A present 100 KB entry. */
  @Benchmark
  public byte[] get100KB(Stores s, Cursor c) {
    return s.store.get(NS, s.largeKeys[c.largeOrder[c.next()]]);
  }

  /** Replaces a 100-byte entry; returns once journaled. */
  @Benchmark
  public void put100B(Stores s, Cursor c) {
    s.store.put(NS, s.smallKeys[c.smallOrder[c.next()]], s.smallFrame, 0, List.of());
  }

  /** Replaces a 100 KB entry; returns once committed. */
  @Benchmark
  public void put100KB(Stores s, Cursor c) {
    s.store.put(NS, s.largeKeys[c.largeOrder[c.next()]], s.largeFrame, 0, List.of());
  }

  /** Plain sqlite-jdbc point read of a 100-byte blob. */
  @Benchmark
  public byte[] floorGet100B(Stores s, Cursor c) throws SQLException {
    return floorGet(c, s.smallKeys[c.smallOrder[c.next()]]);
  }

  /** Plain sqlite-jdbc point read of a 100 KB blob. */
  @Benchmark
  public byte[] floorGet100KB(Stores s, Cursor c) throws SQLException {
    return floorGet(c, s.largeKeys[c.largeOrder[c.next()]]);
  }

  /** Plain sqlite-jdbc autocommit replace of a 100-byte blob. */
  @Benchmark
  public void floorPut100B(Stores s, Cursor c) throws SQLException {
    floorPut(c, s.smallKeys[c.smallOrder[c.next()]], s.smallFrame);
  }

  /** Plain sqlite-jdbc autocommit replace of a 100 KB blob. */
  @Benchmark
  public void floorPut100KB(Stores s, Cursor c) throws SQLException {
    floorPut(c, s.largeKeys[c.largeOrder[c.next()]], s.largeFrame);
  }

  /** A memoized call served by the disk tier (the memory tier holds nothing). */
  @Benchmark
  public String memoizedDiskHit(Stores s, Cursor c) {
    return s.memoized.apply(s.memoArgs[c.smallOrder[c.next()]]);
  }
}
