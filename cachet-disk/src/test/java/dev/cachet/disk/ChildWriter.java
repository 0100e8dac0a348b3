package dev.cachet.disk;

import dev.cachet.codec.EntryFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The program the multi-process tests run in child JVMs. Every value it writes can be
 * recomputed from the key and a version number stored in it, so a reader can tell a right
 * value from a torn or mixed one.
 *
 * <p>Arguments: {@code dir mode prefix count seed}; mode {@code forever} writes until killed,
 * {@code count} writes {@code count} entries and exits, {@code ack} writes {@code count}
 * entries and prints {@code ack i} as each put returns, {@code exit} puts the key
 * {@code prefix} and exits without closing the store.
 */
public final class ChildWriter {
  static final String NS = "crash:1";
  static final int KEYS = 200;
  static final int THRESHOLD = 2048;

  private ChildWriter() {
  }

  /**
   * Runs the writer.
   *
   * @param args directory, mode, key prefix, count, seed
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    String prefix = args[2];
    int count = Integer.parseInt(args[3]);
    Random random = new Random(Long.parseLong(args[4]));
    if ("exit".equals(mode)) {
      // Puts one entry and exits without closing the store, as many programs do; the delay
      // is long so that only the exit can write it to the database.
      DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
          .sideFileThreshold(THRESHOLD).writeBehind(java.time.Duration.ofMinutes(1)).build());
      store.put(NS, prefix, value(prefix, 7), 0, List.of());
      System.out.println("put");
      System.exit(0);
    }
    try (DiskStore store = DiskStore.open(dir, options())) {
      System.out.println("ready");
      System.out.flush();
      if ("ack".equals(mode)) {
        // Says which puts returned, so the parent can check each survived a kill -9.
        for (int i = 0; i < count; i++) {
          store.put(NS, prefix + i, value(prefix + i, i), 0, List.of("t" + (i % 5)));
          System.out.println("ack " + i);
          System.out.flush();
        }
        return;
      }
      for (long i = 0; "forever".equals(mode) || i < count; i++) {
        String key = "forever".equals(mode) ? prefix + random.nextInt(KEYS) : prefix + i;
        int op = random.nextInt(20);
        if (op == 0) {
          store.remove(NS, key);
        } else if (op == 1 && "forever".equals(mode)) {
          store.removeTag("t" + random.nextInt(5));
        } else {
          long version = random.nextInt(1_000_000);
          store.put(NS, key, value(key, version), 0, List.of("t" + (version % 5)));
        }
      }
      if (store.stats().failures() != 0) {
        System.exit(3);
      }
    }
  }

  static DiskStoreOptions options() {
    return DiskStoreOptions.builder().sideFileThreshold(THRESHOLD).build();
  }

  /** The one right frame for a key and version: inline or side file depending on the version. */
  static byte[] value(String key, long version) {
    int size = (int) (version % 4 == 0 ? 3000 + version % 5000 : version % 500);
    byte[] payload = new byte[size];
    Random filler = new Random(key.hashCode() * 1_000_003L + version);
    filler.nextBytes(payload);
    byte[] head = (key + "|" + version + "|").getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + payload.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(payload, 0, all, head.length, payload.length);
    return new EntryFrame("bytes", "byte[]", version, 0L, List.of("t" + (version % 5)), all)
        .encode();
  }

  /** Whether {@code frame} is exactly the value {@link #value} writes for {@code key}. */
  static boolean isRight(String key, byte[] frame) {
    String text = new String(EntryFrame.decode(frame).payload(), StandardCharsets.ISO_8859_1);
    String[] parts = text.split("\\|", 3);
    if (parts.length < 3 || !parts[0].equals(key)) {
      return false;
    }
    return java.util.Arrays.equals(frame, value(key, Long.parseLong(parts[1])));
  }
}
