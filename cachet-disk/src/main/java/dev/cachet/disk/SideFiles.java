package dev.cachet.disk;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder of side files ({@value DiskStore#FILES_DIR}) holding frames above
 * {@link DiskStoreOptions#sideFileThreshold()}: writing them before their row commits, reading
 * them, and deleting them after their row is gone; only ever files whose names are the store's
 * own ({@link #sideFile}).
 */
final class SideFiles {
  private static final String SIDE_SUFFIX = ".entry";
  /** The names {@link #writeSideFile} gives: a random UUID and {@link #SIDE_SUFFIX}. */
  private static final Pattern SIDE_FILE_NAME = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.entry");

  private final StoreContext ctx;
  private final Path filesDir;
  private final FileModes modes;

  SideFiles(StoreContext ctx) {
    this.ctx = ctx;
    this.filesDir = ctx.filesDir;
    this.modes = ctx.modes;
  }

  String writeSideFile(byte[] frame) throws IOException {
    String name = UUID.randomUUID() + SIDE_SUFFIX;
    Path tmp = filesDir.resolve(name + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), modes.fileAttributes())) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      modes.applyTo(tmp);
      // The rename is atomic: a reader finds the whole file or none; the row that names it is
      // committed only after this.
      Files.move(tmp, filesDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteFileQuietly(tmp);
      throw e;
    }
    syncDirectory();
    return name;
  }

  private void syncDirectory() {
    // Makes the rename itself durable; not possible on every platform, hence best effort.
    try (FileChannel ch = FileChannel.open(filesDir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      ctx.logOnce("dirsync", Level.DEBUG, ctx.describe() + ": cannot sync directory " + filesDir,
          e);
    }
  }

  void deleteFiles(List<String> names) {
    for (String name : names) {
      deleteSideFile(name);
    }
  }

  /**
   * The side file a row names, or null if the name is not one this store gives
   * ({@link #SIDE_FILE_NAME}): names come from a database that another process, a damaged
   * page or a hand may have written, and a name such as {@code ../../x} must never make the
   * store read or delete a file outside its folder.
   */
  Path sideFile(String name) {
    if (name == null || !SIDE_FILE_NAME.matcher(name).matches()) {
      return null;
    }
    Path path = filesDir.resolve(name).normalize();
    return path.getParent().equals(filesDir) ? path : null;
  }

  /** Deletes a side file a row named, if the name is one of the store's. */
  void deleteSideFile(String name) {
    Path path = sideFile(name);
    if (path != null) {
      deleteFileQuietly(path);
    }
  }

  private void deleteFileQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // An orphan costs disk space only; the row that named it is gone.
      ctx.logOnce("delete", Level.WARNING, ctx.describe() + ": cannot delete side file " + path, e);
    }
  }

  /** The frame bytes of a row: inline, or read from its side file. */
  byte[] readStored(byte[] inline, String file) throws IOException {
    if (file != null) {
      Path path = sideFile(file);
      if (path == null) {
        throw new IOException("the entry names a side file that is not one of the store's");
      }
      return Files.readAllBytes(path);
    }
    return inline == null ? new byte[0] : inline;
  }

  /** See {@link DiskStore#removeOrphanFiles}. Takes the writer's lock. */
  long removeOrphanFiles(Duration minAge) {
    Objects.requireNonNull(minAge, "minAge");
    synchronized (ctx.writer.lock) {
      ctx.ensureOpen();
      long cutoff = System.currentTimeMillis() - minAge.toMillis();
      List<Path> candidates = new ArrayList<>();
      try (Stream<Path> files = Files.list(filesDir)) {
        for (Path path : (Iterable<Path>) files::iterator) {
          FileTime modified;
          try {
            modified = Files.getLastModifiedTime(path);
          } catch (NoSuchFileException renamedOrRemoved) {
            // Another process finished (renamed) or removed it since the listing: not an orphan.
            continue;
          }
          if (modified.toMillis() <= cutoff) {
            candidates.add(path);
          }
        }
        if (candidates.isEmpty()) {
          return 0;
        }
        Set<String> named = new HashSet<>();
        try (Statement s = ctx.writer.connection().createStatement();
            ResultSet rs = s.executeQuery("SELECT file FROM entries WHERE file IS NOT NULL")) {
          while (rs.next()) {
            named.add(rs.getString(1));
          }
        }
        long deleted = 0;
        for (Path path : candidates) {
          if (!named.contains(path.getFileName().toString())) {
            Files.deleteIfExists(path);
            deleted++;
          }
        }
        if (deleted > 0) {
          StoreContext.LOG.log(Level.INFO, ctx.describe() + ": deleted " + deleted
              + " orphaned side files");
        }
        return deleted;
      } catch (IOException | SQLException | java.io.UncheckedIOException e) {
        ctx.fail("removeOrphanFiles", e);
        return 0;
      }
    }
  }
}
