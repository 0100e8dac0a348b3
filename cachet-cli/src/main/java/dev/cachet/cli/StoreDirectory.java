package dev.cachet.cli;

import dev.cachet.disk.DiskStore;
import dev.cachet.disk.DiskStoreException;
import dev.cachet.disk.DiskStoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens an existing disk store for the store commands ({@code stats}, {@code inspect},
 * {@code clear}, {@code check}). {@link DiskStore#open} would create a store anywhere it is
 * pointed; a typo in a path must instead be an error, so the database file is required first.
 */
final class StoreDirectory {
  /** The database file that marks a directory as a Cachet disk store. */
  static final String DB_FILE = "cachet.db";

  private StoreDirectory() {
  }

  /**
   * Opens the store in {@code dir} to look at it: nothing is repaired on the way in (no
   * orphaned side file deleted, a damaged database reported rather than moved aside), so
   * {@code stats}, {@code inspect} and {@code check} without {@code --fix} leave the store as
   * they found it.
   *
   * @param dir the directory the user named
   * @return the open store; the caller closes it
   * @throws UserError if {@code dir} is missing, not a directory, holds no store, or cannot be
   *     opened
   */
  static DiskStore open(Path dir) {
    return open(dir, false);
  }

  /**
   * Opens the store in {@code dir}.
   *
   * @param dir the directory the user named
   * @param repair whether opening may repair, as an application's open does: delete orphaned
   *     side files and move a damaged database aside ({@code clear}, {@code check --fix})
   * @return the open store; the caller closes it
   * @throws UserError if {@code dir} is missing, not a directory, holds no store, or cannot be
   *     opened
   */
  static DiskStore open(Path dir, boolean repair) {
    if (!Files.exists(dir)) {
      throw new UserError(dir + " does not exist.", null);
    }
    if (!Files.isDirectory(dir)) {
      throw new UserError(dir + " is a file, not a Cachet store directory.", null);
    }
    if (!Files.isRegularFile(dir.resolve(DB_FILE))) {
      throw new UserError(dir + " is not a Cachet store (it has no " + DB_FILE + ").", null);
    }
    try {
      return DiskStore.open(dir, DiskStoreOptions.builder()
          .removeOrphansOnOpen(repair)
          .recoverCorruptDatabase(repair)
          .build());
    } catch (DiskStoreException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
