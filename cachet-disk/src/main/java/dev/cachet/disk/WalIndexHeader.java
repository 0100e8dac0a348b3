package dev.cachet.disk;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only view of the header SQLite keeps at the start of a WAL database's shared-memory
 * file ({@code -shm}), so that a reader can tell, without a system call or a lock, that no
 * transaction has committed since it last looked.
 *
 * <p>SQLite's documented WAL-index layout starts with two copies of a 48-byte header; a
 * committing writer updates the second copy, then the first, and the header holds a change
 * counter and the WAL's last frame. So while the first copy reads the same, no commit has
 * completed, and a read transaction begun earlier still sees the latest data. Reading it costs
 * six memory loads, where starting a read transaction costs SQLite a lock dance on the same
 * memory.
 *
 * <p>Only read while a connection of this process has the database open: SQLite truncates
 * the file only when the first connection of any process opens it.
 */
final class WalIndexHeader {
  /** Longs in the first header copy. */
  static final int LONGS = 6;

  private final LongBuffer header;

  private WalIndexHeader(LongBuffer header) {
    this.header = header;
  }

  /**
   * Maps the header of {@code shm}; null when the file is missing, too short or cannot be
   * mapped, and then readers start a transaction per read as before.
   */
  static WalIndexHeader map(Path shm) {
    try (FileChannel ch = FileChannel.open(shm, StandardOpenOption.READ)) {
      if (ch.size() < 2L * LONGS * Long.BYTES) {
        return null;
      }
      MappedByteBuffer buffer = ch.map(FileChannel.MapMode.READ_ONLY, 0, LONGS * Long.BYTES);
      return new WalIndexHeader(buffer.order(ByteOrder.nativeOrder()).asLongBuffer());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  /** Maps {@code db}'s shared-memory file ({@code db-shm}) if it exists. */
  static WalIndexHeader forDatabase(Path db) {
    Path shm = db.resolveSibling(db.getFileName() + "-shm");
    return Files.isRegularFile(shm) ? map(shm) : null;
  }

  /** Copies the header's first copy into {@code stamp} (of {@link #LONGS} longs). */
  void read(long[] stamp) {
    for (int i = 0; i < LONGS; i++) {
      stamp[i] = header.get(i);
    }
  }

  /** Whether the header still reads as {@code stamp}: no commit has completed since. */
  boolean unchangedSince(long[] stamp) {
    for (int i = 0; i < LONGS; i++) {
      if (header.get(i) != stamp[i]) {
        return false;
      }
    }
    return true;
  }
}
