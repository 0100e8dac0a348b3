package dev.cachet.tier;

/** The {@link Store} contract on {@link InMemoryStore}, the reference engine, on a manual clock. */
class InMemoryStoreContractTest extends StoreContract {
  private final ManualClock clock = new ManualClock();

  @Override
  protected Store newStore() {
    return new InMemoryStore(clock::millis);
  }

  @Override
  protected ManualClock clock() {
    return clock;
  }

  @Override
  protected void overwriteStoredBytes(Store store, String namespace, String digest,
      byte[] bytes) {
    if (!((InMemoryStore) store).overwrite(namespace, digest, bytes)) {
      throw new AssertionError("no entry to damage at (" + namespace + ", " + digest + ")");
    }
  }
}
