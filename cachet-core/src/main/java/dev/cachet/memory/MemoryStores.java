package dev.cachet.memory;

/** Creates the {@link MemoryStore} for a configuration. Internal. */
public final class MemoryStores {
  private MemoryStores() {
  }

  /** A store implementing {@code config.policy()}. */
  public static MemoryStore create(StoreConfig config) {
    return switch (config.policy()) {
      case ADAPTIVE -> new CaffeineStore(config);
      case LRU, LFU, FIFO, SHADOW_TUNED -> new PolicyStore(config);
    };
  }
}
