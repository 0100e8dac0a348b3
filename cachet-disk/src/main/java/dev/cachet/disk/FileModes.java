package dev.cachet.disk;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The permissions a store gives what it creates: a store holds prompts and answers in plain
 * text, so by default only its owner may read it (directories {@code 0700}, files
 * {@code 0600}); with {@link DiskStoreOptions.Builder#groupAccess} its group may read and
 * write it too ({@code 0770} / {@code 0660}), for processes of several users sharing one
 * store. On a file system without POSIX permissions nothing is set.
 *
 * <p>Modes are set explicitly after creation as well, because creation is subject to the
 * process's umask, which would turn {@code 0660} into {@code 0640} and lock the group out.
 * Nothing here opens a descriptor on a file SQLite may have open: setting a mode is a
 * {@code chmod} by path.
 */
final class FileModes {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final Set<PosixFilePermission> directoryMode;
  private final Set<PosixFilePermission> fileMode;

  private FileModes(String directoryMode, String fileMode) {
    this.directoryMode = PosixFilePermissions.fromString(directoryMode);
    this.fileMode = PosixFilePermissions.fromString(fileMode);
  }

  /** The modes for a store with these options. */
  static FileModes of(DiskStoreOptions options) {
    return options.groupAccess() ? new FileModes("rwxrwx---", "rw-rw----")
        : new FileModes("rwx------", "rw-------");
  }

  /** The attributes to create a file with (empty where POSIX permissions do not exist). */
  FileAttribute<?>[] fileAttributes() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(fileMode)}
        : new FileAttribute<?>[0];
  }

  /**
   * Creates {@code dir} and its missing parents; those it created get the directory mode.
   * An existing directory keeps the mode its owner gave it.
   */
  void createDirectories(Path dir) throws IOException {
    Path missing = dir;
    while (missing.getParent() != null && !Files.exists(missing.getParent())) {
      missing = missing.getParent();
    }
    boolean existed = Files.isDirectory(dir);
    Files.createDirectories(dir);
    if (!POSIX || existed) {
      return;
    }
    // Every directory from the first missing one down to dir was created here.
    for (Path p = dir; p != null && p.startsWith(missing); p = p.getParent()) {
      setQuietly(p, directoryMode);
    }
  }

  /**
   * Creates {@code file} empty with the file mode unless it exists; an existing file is left
   * alone. Used for the database before SQLite first opens it, so that SQLite, which gives
   * its {@code -wal} and {@code -shm} files the database's mode, creates them private too: a
   * file that does not exist yet cannot be open in SQLite.
   */
  void createFileIfAbsent(Path file) throws IOException {
    try {
      Files.createFile(file, fileAttributes());
    } catch (FileAlreadyExistsException exists) {
      return;
    }
    applyTo(file);
  }

  /** Gives a file this process just created the file mode exactly, whatever the umask. */
  void applyTo(Path file) {
    setQuietly(file, fileMode);
  }

  private static void setQuietly(Path path, Set<PosixFilePermission> mode) {
    if (!POSIX) {
      return;
    }
    try {
      Files.setPosixFilePermissions(path, mode);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // Not the owner (a shared directory made by another user): its mode is theirs to set.
    }
  }
}
