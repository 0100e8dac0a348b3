/**
 * Cachet's disk tier: a persistent {@link dev.cachet.tier.Store} on SQLite, shared safely by
 * several processes ({@link dev.cachet.disk.DiskStore}, {@link dev.cachet.disk.DiskStoreOptions}),
 * configured as a tier by {@link dev.cachet.disk.DiskTier}. {@code Cachet.builder().tier(DiskTier)}
 * and {@code disk(path)} find it through its {@link dev.cachet.tier.StoreProvider}.
 */
module dev.cachet.disk {
  // DiskStore implements core's Store, and DiskTier extends its TierConfig.
  requires transitive dev.cachet.core;
  requires com.github.benmanes.caffeine;
  requires org.xerial.sqlitejdbc;

  exports dev.cachet.disk;

  provides dev.cachet.tier.StoreProvider with dev.cachet.disk.DiskStoreProvider;
}
