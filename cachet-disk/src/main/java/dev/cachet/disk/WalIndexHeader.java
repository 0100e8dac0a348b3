package dev.cachet.disk;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only view of the header SQLite keeps at the start of a WAL database's shared-memory
 * file ({@code -shm}), so that a reader can tell, without a system call or a lock, that no
 * transaction has committed and no checkpoint has advanced since it last looked, and whether
 * the WAL holds frames no checkpoint has copied yet.
 *
 * <p>SQLite's documented WAL-index layout starts with two copies of a 48-byte header; a
 * committing writer updates the second copy, then the first, and the header holds a change
 * counter and the WAL's last frame ({@code mxFrame}). So while the first copy reads the same,
 * no commit has completed, and a read transaction begun earlier still sees the latest data.
 * Reading it costs a few memory loads, where starting a read transaction costs SQLite a lock
 * dance on the same memory. Right after the two copies comes the checkpoint's progress
 * ({@code nBackfill}, the last frame copied into the database).
 *
 * <p>Only read while a connection of this process has the database open: SQLite truncates
 * the file only when the first connection of any process opens it.
 */
final class WalIndexHeader {
  /**
   * Longs in a stamp: the first header copy's six, then the checkpoint's progress, then the
   * last frame on its own (so that no index depends on the byte order).
   */
  static final int LONGS = 8;
  private static final int HEADER_LONGS = 6;
  private static final int BACKFILL = 6;
  private static final int MAX_FRAME = 7;
  private static final int MAX_FRAME_OFFSET = 16;
  private static final int BACKFILL_OFFSET = 96;
  private static final int MAPPED_BYTES = BACKFILL_OFFSET + Integer.BYTES;

  private final MappedByteBuffer header;

  private WalIndexHeader(MappedByteBuffer header) {
    this.header = header;
  }

  /**
   * Maps the header of {@code shm}; null when the file is missing, too short or cannot be
   * mapped, and then readers start a transaction per read as before.
   */
  static WalIndexHeader map(Path shm) {
    try (FileChannel ch = FileChannel.open(shm, StandardOpenOption.READ)) {
      if (ch.size() < MAPPED_BYTES) {
        return null;
      }
      MappedByteBuffer buffer = ch.map(FileChannel.MapMode.READ_ONLY, 0, MAPPED_BYTES);
      buffer.order(ByteOrder.nativeOrder());
      return new WalIndexHeader(buffer);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  /** Maps {@code db}'s shared-memory file ({@code db-shm}) if it exists. */
  static WalIndexHeader forDatabase(Path db) {
    Path shm = db.resolveSibling(db.getFileName() + "-shm");
    return Files.isRegularFile(shm) ? map(shm) : null;
  }

  /** Copies the first header copy and the checkpoint's progress into {@code stamp}. */
  void read(long[] stamp) {
    for (int i = 0; i < HEADER_LONGS; i++) {
      stamp[i] = header.getLong(i * Long.BYTES);
    }
    stamp[BACKFILL] = header.getInt(BACKFILL_OFFSET);
    stamp[MAX_FRAME] = header.getInt(MAX_FRAME_OFFSET);
  }

  /**
   * Whether the header still reads as {@code stamp}: no commit has completed and no checkpoint
   * has advanced since.
   */
  boolean unchangedSince(long[] stamp) {
    for (int i = 0; i < HEADER_LONGS; i++) {
      if (header.getLong(i * Long.BYTES) != stamp[i]) {
        return false;
      }
    }
    return header.getInt(BACKFILL_OFFSET) == stamp[BACKFILL];
  }

  /**
   * Whether, as {@code stamp} read it, a checkpoint had copied every WAL frame into the
   * database. A read transaction begun then reads the database file alone, so keeping it open
   * keeps no WAL frame alive; one begun otherwise keeps the WAL from starting over.
   */
  static boolean backfilled(long[] stamp) {
    return stamp[BACKFILL] == stamp[MAX_FRAME];
  }

  /** The WAL's last frame as {@code stamp} read it: how many frames the WAL holds. */
  static long frames(long[] stamp) {
    return stamp[MAX_FRAME] & 0xFFFF_FFFFL;
  }

  /** Whether a checkpoint has copied every WAL frame into the database by now. */
  boolean backfilled() {
    return header.getInt(BACKFILL_OFFSET) == header.getInt(MAX_FRAME_OFFSET);
  }
}
