package dev.cachet.bench;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The operation sequences every contender of the mixed disk benchmark replays, and the binary
 * file that carries them to the Python side ({@code src/main/python/diskcache_mixed.py}), so
 * that Java and Python stores see the same keys, values and operation types in the same order.
 *
 * <p>File format, little-endian throughout (the Python reader depends on every detail):
 *
 * <pre>
 *   4 bytes  magic "CDMX"
 *   u32      version (1)
 *   u32      key count           keys are "key-0" .. "key-(n-1)"
 *   u32      value bytes         every value has this length
 *   u32      value variants      how many distinct values follow
 *   u64      seed
 *   f64      Zipf theta
 *   u32      stream count
 *   variants x value bytes       the values
 *   per stream: u16 name length, name (UTF-8), u32 write percent, u32 op count,
 *               op count x u32   bit 31 set = a set, else a get; bits 0-30 = key index
 * </pre>
 *
 * <p>A set at position {@code i} of a stream (the population stream included) writes value
 * {@code i % variants}. Both sides apply this rule, so the values are the same too.
 */
final class DiskMixedOps {
  /** "CDMX" read as a little-endian u32. */
  static final int MAGIC = 'C' | 'D' << 8 | 'M' << 16 | 'X' << 24;
  static final int VERSION = 1;
  static final int SET_BIT = 0x8000_0000;
  static final int KEY_MASK = 0x7FFF_FFFF;
  static final int VALUE_VARIANTS = 64;
  static final int VALUE_BYTES = 100;
  static final double THETA = 0.99;

  /** Every key once, in a shuffled order: how each store is filled before measuring. */
  static final String POPULATE = "populate";
  /** Unmeasured, before the first cell of each process: JIT and page cache. */
  static final String WARMUP = "warmup";

  private final int keyCount;
  private final long seed;
  private final double theta;
  private final byte[][] values;
  private final Map<String, Stream> streams;
  private String[] keys;

  /**
   * One operation sequence.
   *
   * @param writePercent the share of sets it was drawn with, for the report
   * @param ops the operations, encoded as in the file
   */
  record Stream(int writePercent, int[] ops) {
  }

  private DiskMixedOps(int keyCount, long seed, double theta, byte[][] values,
      Map<String, Stream> streams) {
    this.keyCount = keyCount;
    this.seed = seed;
    this.theta = theta;
    this.values = values;
    this.streams = Collections.unmodifiableMap(streams);
  }

  /**
   * Draws every stream the cells of {@link DiskMixedCell} need, plus the population and
   * warm-up streams. Reads and writes both follow the Zipf distribution (as in YCSB), over
   * the same scrambled ranking.
   *
   * @param keyCount how many keys
   * @param streamOps operations per measured stream
   * @param warmupOps operations of the warm-up stream
   * @param seed fixes everything drawn
   * @return the sequences
   */
  static DiskMixedOps generate(int keyCount, int streamOps, int warmupOps, long seed) {
    if (keyCount < 1 || streamOps < 1 || warmupOps < 1) {
      throw new IllegalArgumentException("keyCount, streamOps and warmupOps must be positive");
    }
    SplittableRandom valueRandom = new SplittableRandom(seed);
    byte[][] values = new byte[VALUE_VARIANTS][VALUE_BYTES];
    for (byte[] v : values) {
      valueRandom.nextBytes(v);
    }
    DiskMixedZipf zipf = new DiskMixedZipf(keyCount, THETA, seed + 1);
    Map<String, Stream> streams = new LinkedHashMap<>();
    int[] populate = new int[keyCount];
    for (int i = 0; i < keyCount; i++) {
      populate[i] = i;
    }
    DiskMixedZipf.shuffle(populate, new SplittableRandom(seed + 2));
    for (int i = 0; i < keyCount; i++) {
      populate[i] |= SET_BIT;
    }
    streams.put(POPULATE, new Stream(100, populate));
    streams.put(WARMUP, draw(zipf, warmupOps, 50, seed + 3));
    long streamSeed = seed + 100;
    for (DiskMixedCell cell : DiskMixedCell.values()) {
      for (String name : cell.streams()) {
        if (!streams.containsKey(name)) {
          streams.put(name, draw(zipf, streamOps, cell.writePercent(), streamSeed++));
        }
      }
    }
    return new DiskMixedOps(keyCount, seed, THETA, values, streams);
  }

  private static Stream draw(DiskMixedZipf zipf, int n, int writePercent, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] ops = new int[n];
    for (int i = 0; i < n; i++) {
      // Op type first, key second, always both: the key sequence then does not depend on
      // the write share, which keeps streams of different mixes comparable.
      boolean set = random.nextInt(100) < writePercent;
      int key = zipf.next(random);
      ops[i] = set ? key | SET_BIT : key;
    }
    return new Stream(writePercent, ops);
  }

  /**
   * Writes the file described in the class comment.
   *
   * @param file where; replaced if present
   * @throws IOException if it cannot be written
   */
  void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
        DataOutputStream out = new DataOutputStream(raw)) {
      ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(MAGIC).putInt(VERSION).putInt(keyCount).putInt(VALUE_BYTES)
          .putInt(values.length).putLong(seed).putDouble(theta).putInt(streams.size());
      flush(b, out);
      for (byte[] v : values) {
        out.write(v);
      }
      for (Map.Entry<String, Stream> e : streams.entrySet()) {
        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
        b.putShort((short) name.length).put(name).putInt(e.getValue().writePercent())
            .putInt(e.getValue().ops().length);
        for (int op : e.getValue().ops()) {
          if (b.remaining() < 4) {
            flush(b, out);
          }
          b.putInt(op);
        }
        flush(b, out);
      }
    }
    // A reader never sees half a file, even if this run is interrupted.
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void flush(ByteBuffer b, DataOutputStream out) throws IOException {
    out.write(b.array(), 0, b.position());
    b.clear();
  }

  /**
   * Reads a file written by {@link #write}.
   *
   * @param file the file
   * @return its sequences
   * @throws IOException if it cannot be read or is not such a file
   */
  static DiskMixedOps read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 40 || b.getInt() != MAGIC) {
      throw new IOException(file + " is not an operation file of the mixed disk benchmark");
    }
    int version = b.getInt();
    if (version != VERSION) {
      throw new IOException(file + " has format version " + version + ", expected " + VERSION);
    }
    int keyCount = b.getInt();
    int valueBytes = b.getInt();
    int variants = b.getInt();
    long seed = b.getLong();
    double theta = b.getDouble();
    int streamCount = b.getInt();
    byte[][] values = new byte[variants][valueBytes];
    for (byte[] v : values) {
      b.get(v);
    }
    Map<String, Stream> streams = new LinkedHashMap<>();
    for (int s = 0; s < streamCount; s++) {
      byte[] name = new byte[b.getShort() & 0xFFFF];
      b.get(name);
      int writePercent = b.getInt();
      int[] ops = new int[b.getInt()];
      b.asIntBuffer().get(ops);
      b.position(b.position() + 4 * ops.length);
      streams.put(new String(name, StandardCharsets.UTF_8), new Stream(writePercent, ops));
    }
    return new DiskMixedOps(keyCount, seed, theta, values, streams);
  }

  /**
   * The key string of an index, as both languages spell it.
   *
   * @param index the index
   * @return {@code "key-" + index}
   */
  static String key(int index) {
    return "key-" + index;
  }

  /**
   * Every key string, built once: the measured loop must not format numbers.
   *
   * @return the keys by index
   */
  synchronized String[] keys() {
    if (keys == null) {
      String[] k = new String[keyCount];
      for (int i = 0; i < keyCount; i++) {
        k[i] = key(i);
      }
      keys = k;
    }
    return keys;
  }

  /**
   * A stream by name.
   *
   * @param name such as {@code "mix95-0"}
   * @return its operations
   * @throws IllegalArgumentException if the file has no such stream
   */
  int[] stream(String name) {
    Stream s = streams.get(name);
    if (s == null) {
      throw new IllegalArgumentException("No stream " + name + " in the operation file; it has "
          + streams.keySet());
    }
    return s.ops();
  }

  /**
   * The value a set writes.
   *
   * @param variant a variant number; taken modulo the number of variants
   * @return the shared array; never modified by the callers
   */
  byte[] value(int variant) {
    return values[Math.floorMod(variant, values.length)];
  }

  /** How many distinct values there are. */
  int valueVariants() {
    return values.length;
  }

  /** The length of every value. */
  int valueBytes() {
    return values[0].length;
  }

  /** How many keys. */
  int keyCount() {
    return keyCount;
  }

  /** The seed everything was drawn from. */
  long seed() {
    return seed;
  }

  /** The Zipf skew. */
  double theta() {
    return theta;
  }

  /** Stream names in file order. */
  Set<String> streamNames() {
    return streams.keySet();
  }
}
