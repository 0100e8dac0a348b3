package dev.cachet.jcache;

import dev.cachet.EvictionPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * Caches declared in a properties file, named by the URI given to
 * {@code CachingProvider.getCacheManager(uri, classLoader)}: a {@code file:} URI, a
 * {@code classpath:} URI, or a path ending in {@code .properties} (looked up on the class path,
 * then as a file). Any other URI (such as the provider's default) names a manager without a
 * file. Each line sets one option of one cache:
 *
 * <pre>
 * # cachet.caches.&lt;cache name&gt;.&lt;option&gt; = value    (cache names may contain dots)
 * cachet.caches.users.maximum-size = 10000
 * cachet.caches.users.policy = LRU
 * cachet.caches.users.expire-after-write = 10m
 * cachet.caches.users.disk = /var/cache/app
 * cachet.caches.users.tags = accounts, tenant-42
 * # cachet.defaults.&lt;option&gt; applies to every cache of the file that does not set it
 * cachet.defaults.statistics = true
 * </pre>
 *
 * The options are listed in {@link #OPTIONS}. A mistake (an unknown option, a value that does
 * not parse, a missing file) fails {@code getCacheManager} with a {@link CacheException} that
 * names the file, the line's key and value, what was wrong and what to write instead.
 */
final class CacheFile {
  static final String CACHES = "cachet.caches.";
  static final String DEFAULTS = "cachet.defaults.";

  /** Every option, with what its value must be. */
  static final Map<String, String> OPTIONS = options();

  private static Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("policy", "ADAPTIVE, LRU, LFU or FIFO");
    o.put("maximum-size", "a number of entries (0 or more), or 'unbounded'");
    o.put("expire-after-write", "a duration such as 500ms, 30s, 10m, 2h, 1d or PT10M: entries"
        + " expire that long after being created or updated");
    o.put("expire-after-access", "a duration: entries expire that long after being created,"
        + " read or updated");
    o.put("expire-after-create", "a duration: entries expire that long after being created");
    o.put("disk", "a directory for the disk tier (relative to the file's folder)");
    o.put("redis", "a URI such as redis://127.0.0.1:6379 for the Redis tier");
    o.put("tags", "comma-separated tags");
    o.put("statistics", "true or false");
    o.put("management", "true or false");
    o.put("store-by-value", "true or false");
    o.put("key-type", "a class name, such as java.lang.Long");
    o.put("value-type", "a class name");
    o.put("serial-filter", "an ObjectInputFilter pattern, such as com.example.*;java.base/*;!*");
    return o;
  }

  private CacheFile() {
  }

  /** Whether {@code uri} names a configuration file rather than just a manager. */
  static boolean namesFile(URI uri) {
    String scheme = uri.getScheme();
    if ("file".equalsIgnoreCase(scheme) || "classpath".equalsIgnoreCase(scheme)) {
      return true;
    }
    String path = scheme == null ? uri.getPath() : null;
    return path != null && path.endsWith(".properties");
  }

  /** The caches the file named by {@code uri} declares, by name; empty when it names none. */
  static Map<String, CachetConfiguration<Object, Object>> load(URI uri, ClassLoader loader) {
    if (!namesFile(uri)) {
      return Map.of();
    }
    Source source = locate(uri, loader);
    Properties properties = new Properties();
    try (InputStream in = source.open();
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new CacheException("Cachet JCache configuration " + source.name
          + " could not be read: " + e.getMessage() + ". It must be a Java properties file"
          + " (see cachet-jcache/README.md).", e);
    }
    return parse(properties, source, loader);
  }

  /** Where a configuration file is and how to open it. */
  private record Source(String name, Path directory, URL url) {
    InputStream open() throws IOException {
      return url.openStream();
    }
  }

  private static Source locate(URI uri, ClassLoader loader) {
    String scheme = uri.getScheme();
    try {
      if ("file".equalsIgnoreCase(scheme)) {
        Path path = Path.of(uri);
        if (!Files.isRegularFile(path)) {
          throw missing(uri, "the file " + path + " does not exist");
        }
        return new Source(path.toString(), path.toAbsolutePath().getParent(), path.toUri().toURL());
      }
      String resource = "classpath".equalsIgnoreCase(scheme) ? uri.getSchemeSpecificPart()
          : uri.getPath();
      while (resource.startsWith("/") && "classpath".equalsIgnoreCase(scheme)) {
        resource = resource.substring(1);
      }
      URL url = loader == null ? null : loader.getResource(resource);
      if (url != null) {
        return new Source("classpath:" + resource, null, url);
      }
      if (!"classpath".equalsIgnoreCase(scheme)) {
        Path path = Path.of(resource);
        if (Files.isRegularFile(path)) {
          return new Source(path.toString(), path.toAbsolutePath().getParent(),
              path.toUri().toURL());
        }
        throw missing(uri, "there is no class path resource " + resource + " nor a file "
            + path.toAbsolutePath());
      }
      throw missing(uri, "there is no class path resource " + resource);
    } catch (java.net.MalformedURLException | IllegalArgumentException e) {
      throw new CacheException("Cachet JCache configuration " + uri + " is not a usable"
          + " location: " + e.getMessage(), e);
    }
  }

  private static CacheException missing(URI uri, String what) {
    return new CacheException("Cachet JCache configuration " + uri + " not found: " + what
        + ". Create it (format: cachet.caches.<name>.<option>=value, see cachet-jcache/README.md),"
        + " or pass a URI that does not end in .properties for a manager without a file.");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, CachetConfiguration<Object, Object>> parse(Properties properties,
      Source source, ClassLoader loader) {
    Map<String, String> defaults = new LinkedHashMap<>();
    Map<String, Map<String, String>> caches = new LinkedHashMap<>();
    // Longest option names first: a key ends in exactly one of them, read as the longest match.
    List<String> options = new ArrayList<>(OPTIONS.keySet());
    options.sort(Comparator.comparingInt(String::length).reversed());
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      String value = properties.getProperty(key).trim();
      if (key.startsWith(DEFAULTS)) {
        String option = key.substring(DEFAULTS.length());
        if (!OPTIONS.containsKey(option)) {
          throw error(source, key, value, "'" + option + "' is not an option", null);
        }
        defaults.put(option, value);
      } else if (key.startsWith(CACHES)) {
        String rest = key.substring(CACHES.length());
        String option = null;
        for (String o : options) {
          if (rest.endsWith("." + o) && rest.length() > o.length() + 1) {
            option = o;
            break;
          }
        }
        if (option == null) {
          throw error(source, key, value, "the key does not end in a known option", null);
        }
        String name = rest.substring(0, rest.length() - option.length() - 1);
        caches.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(option, value);
      } else {
        throw error(source, key, value, "every key starts with " + CACHES + "<cache name>. or "
            + DEFAULTS, null);
      }
    }
    Map<String, CachetConfiguration<Object, Object>> out = new LinkedHashMap<>();
    // File order is lost by Properties; caches are created in name order.
    for (String name : new TreeSet<>(caches.keySet())) {
      Map<String, String> settings = new LinkedHashMap<>(defaults);
      settings.putAll(caches.get(name));
      CachetConfiguration<Object, Object> config = new CachetConfiguration<>();
      Duration write = null;
      Duration access = null;
      Duration create = null;
      for (Map.Entry<String, String> e : settings.entrySet()) {
        String option = e.getKey();
        String value = e.getValue();
        String key = (caches.get(name).containsKey(option) ? CACHES + name + "." : DEFAULTS)
            + option;
        try {
          switch (option) {
            case "policy" -> config.policy(EvictionPolicy.valueOf(value.toUpperCase(Locale.ROOT)));
            case "maximum-size" -> {
              if (value.equalsIgnoreCase("unbounded")) {
                config.unbounded();
              } else {
                config.maximumSize(number(value));
              }
            }
            case "expire-after-write" -> write = duration(value);
            case "expire-after-access" -> access = duration(value);
            case "expire-after-create" -> create = duration(value);
            case "disk" -> {
              Path dir = Path.of(value);
              if (!dir.isAbsolute() && source.directory() != null) {
                dir = source.directory().resolve(dir);
              }
              config.disk(dir);
            }
            case "redis" -> {
              if (!value.matches("(?i)(redis|rediss|redis-sentinel)://.+")) {
                throw new IllegalArgumentException("not a redis:// URI");
              }
              config.redis(value);
            }
            case "tags" -> {
              for (String tag : value.split(",")) {
                if (!tag.isBlank()) {
                  config.tags(tag.trim());
                }
              }
            }
            case "statistics" -> config.setStatisticsEnabled(bool(value));
            case "management" -> config.setManagementEnabled(bool(value));
            case "store-by-value" -> config.setStoreByValue(bool(value));
            case "key-type" -> config.setTypes(type(value, loader), (Class) config.getValueType());
            case "value-type" -> config.setTypes((Class) config.getKeyType(), type(value, loader));
            case "serial-filter" -> {
              java.io.ObjectInputFilter.Config.createFilter(value);
              config.serialFilter(value);
            }
            default -> throw new AssertionError(option);
          }
        } catch (IllegalArgumentException | ClassNotFoundException e2) {
          throw error(source, key, value, e2.getMessage(), option);
        }
      }
      int expiries = (write == null ? 0 : 1) + (access == null ? 0 : 1) + (create == null ? 0 : 1);
      if (expiries > 1) {
        throw error(source, CACHES + name + ".expire-after-*", "", "a cache takes one of"
            + " expire-after-write, expire-after-access and expire-after-create", null);
      }
      if (write != null) {
        config.setExpiryPolicyFactory(FactoryBuilder.factoryOf(new ModifiedExpiryPolicy(write)));
      } else if (access != null) {
        config.setExpiryPolicyFactory(FactoryBuilder.factoryOf(new TouchedExpiryPolicy(access)));
      } else if (create != null) {
        config.setExpiryPolicyFactory(FactoryBuilder.factoryOf(new CreatedExpiryPolicy(create)));
      }
      out.put(name, config);
    }
    return out;
  }

  private static CacheException error(Source source, String key, String value, String what,
      String option) {
    String expected = option == null ? "" : " Expected " + OPTIONS.get(option) + ".";
    String hint = option == null ? " Options: " + String.join(", ", OPTIONS.keySet()) + "." : "";
    return new CacheException("Cachet JCache configuration " + source.name() + ": " + key
        + (value.isEmpty() ? "" : " = " + value) + ": " + what + "." + expected + hint
        + " See cachet-jcache/README.md for the format.");
  }

  private static long number(String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number", e);
    }
  }

  private static boolean bool(String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("'" + value + "' is not true or false");
  }

  @SuppressWarnings("rawtypes")
  private static Class type(String name, ClassLoader loader) throws ClassNotFoundException {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new ClassNotFoundException("class " + name + " is not on the class path", e);
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT10M}). */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return new Duration(TimeUnit.MILLISECONDS,
            java.time.Duration.parse(text.trim()).toMillis());
      }
      int split = 0;
      while (split < t.length() && Character.isDigit(t.charAt(split))) {
        split++;
      }
      long amount = Long.parseLong(t.substring(0, split));
      TimeUnit unit = switch (t.substring(split).trim()) {
        case "ms" -> TimeUnit.MILLISECONDS;
        case "s" -> TimeUnit.SECONDS;
        case "m" -> TimeUnit.MINUTES;
        case "h" -> TimeUnit.HOURS;
        case "d" -> TimeUnit.DAYS;
        default -> throw new IllegalArgumentException("unknown unit");
      };
      if (amount <= 0) {
        throw new IllegalArgumentException("not positive");
      }
      return new Duration(unit, amount);
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (" + e.getMessage()
          + ")", e);
    }
  }
}
