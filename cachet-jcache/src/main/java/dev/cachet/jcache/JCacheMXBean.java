package dev.cachet.jcache;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/** The configuration MBean of one cache ({@code javax.cache:type=CacheConfiguration,...}). */
final class JCacheMXBean implements CacheMXBean {
  private final CachetCache<?, ?> cache;

  JCacheMXBean(CachetCache<?, ?> cache) {
    this.cache = cache;
  }

  private CompleteConfiguration<?, ?> config() {
    return cache.liveConfiguration();
  }

  @Override
  public String getKeyType() {
    return config().getKeyType().getName();
  }

  @Override
  public String getValueType() {
    return config().getValueType().getName();
  }

  @Override
  public boolean isReadThrough() {
    return config().isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return config().isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return config().isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return config().isStatisticsEnabled();
  }

  @Override
  public boolean isManagementEnabled() {
    return config().isManagementEnabled();
  }
}
