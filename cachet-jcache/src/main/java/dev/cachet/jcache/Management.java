package dev.cachet.jcache;

import java.lang.management.ManagementFactory;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers caches' MBeans in the platform MBean server under the names the specification
 * gives: {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>},
 * with {@code , : = \n} in the URI and the name replaced by dots.
 */
final class Management {
  enum Kind {
    CacheConfiguration,
    CacheStatistics
  }

  private Management() {
  }

  static ObjectName name(Cache<?, ?> cache, Kind kind) {
    String manager = safe(cache.getCacheManager().getURI().toString());
    try {
      return new ObjectName("javax.cache:type=" + kind + ",CacheManager=" + manager + ",Cache="
          + safe(cache.getName()));
    } catch (MalformedObjectNameException e) {
      throw new CacheException("Cache " + cache.getName() + " of manager " + manager
          + " gives no valid MBean name: " + e.getMessage(), e);
    }
  }

  private static String safe(String s) {
    return s == null ? "" : s.replaceAll(",|:|=|\n", ".");
  }

  static void register(Cache<?, ?> cache, Kind kind, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(cache, kind);
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException e) {
      // Registered meanwhile by another thread: the same cache's bean.
    } catch (Exception e) {
      throw new CacheException("Could not register MBean " + name + ": " + e.getMessage(), e);
    }
  }

  static void unregister(Cache<?, ?> cache, Kind kind) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(cache, kind);
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException e) {
      // Unregistered meanwhile.
    } catch (Exception e) {
      throw new CacheException("Could not unregister MBean " + name + ": " + e.getMessage(), e);
    }
  }
}
