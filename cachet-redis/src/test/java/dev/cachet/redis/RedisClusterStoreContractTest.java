package dev.cachet.redis;

import dev.cachet.tier.Store;
import dev.cachet.tier.StoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The {@link Store} contract on {@link RedisStore} connected to a Redis Cluster of three
 * masters started for this class on free loopback ports ({@link RedisClusterProcesses}), so
 * that a namespace's entries, its version key and its tag sets sit on different nodes. Each
 * case uses a prefix of its own; the cluster, and every key, goes when the class ends.
 */
class RedisClusterStoreContractTest extends StoreContract {
  private static RedisClusterProcesses cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterProcesses.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  @Override
  protected Store newStore() {
    RedisStore store = RedisStore.open(RedisStoreContractTest.contractOptions(cluster.uri(),
        RedisStoreContractTest.uniquePrefix()));
    if (!store.isCluster()) {
      store.close();
      throw new AssertionError("expected a Cluster connection to " + cluster.uri());
    }
    return store;
  }

  /** See {@link RedisStoreContractTest#TAG_GAP}. */
  @Test
  @Disabled(RedisStoreContractTest.TAG_GAP)
  @Override
  public void replacingAnEntryReplacesItsTags() {
  }

  @Override
  protected void overwriteStoredBytes(Store store, String namespace, String digest,
      byte[] bytes) throws Exception {
    RedisStoreContractTest.overwrite((RedisStore) store, namespace, digest, bytes);
  }
}
