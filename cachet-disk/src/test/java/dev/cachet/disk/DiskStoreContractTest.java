package dev.cachet.disk;

import dev.cachet.tier.Store;
import dev.cachet.tier.StoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Store} contract on {@link DiskStore} with its default options (puts journaled,
 * written to SQLite within 20 ms; side files above 64 KiB) in a temporary directory, on a
 * manual clock.
 */
class DiskStoreContractTest extends StoreContract {
  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock();

  @Override
  protected Store newStore() {
    return DiskStore.open(dir, DiskStoreOptions.builder().clock(clock).build());
  }

  @Override
  protected ManualClock clock() {
    return clock;
  }

  /**
   * Rewrites the entry's row through SQLite (never through a descriptor on its files, which
   * would release this process's SQLite locks), after moving journaled puts into the database.
   */
  @Override
  protected void overwriteStoredBytes(Store store, String namespace, String digest,
      byte[] bytes) throws Exception {
    ((DiskStore) store).flush();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
        DiskStore.DB_FILE)); PreparedStatement ps = c.prepareStatement(
            "UPDATE entries SET value = ? WHERE namespace = ? AND digest = ? AND file IS NULL")) {
      ps.setBytes(1, bytes);
      ps.setString(2, namespace);
      ps.setString(3, digest);
      if (ps.executeUpdate() != 1) {
        throw new AssertionError("no inline entry to damage at (" + namespace + ", " + digest
            + ")");
      }
    }
  }
}
