/**
 * Cachet's disk tier: a persistent {@link dev.cachet.tier.Store} on SQLite, shared safely by
 * several processes ({@link dev.cachet.disk.DiskStore}, {@link dev.cachet.disk.DiskStoreOptions}).
 * {@code Cachet.builder().disk(path)} finds it through its {@link dev.cachet.tier.StoreProvider}.
 */
module dev.cachet.disk {
  // DiskStore implements core's Store and takes its TierOptions.
  requires transitive dev.cachet.core;
  requires com.github.benmanes.caffeine;
  requires org.xerial.sqlitejdbc;

  exports dev.cachet.disk;

  provides dev.cachet.tier.StoreProvider with dev.cachet.disk.DiskStoreProvider;
}
