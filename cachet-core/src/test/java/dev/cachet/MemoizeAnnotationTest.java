package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each attribute of {@link Memoize} does on a proxied method, how proxied methods' caches
 * are named, and the proxies Cachet refuses to build.
 */
class MemoizeAnnotationTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Cachet cachet = Cachet.builder().ticker(ticker).build();

  @TempDir
  Path tmp;

  @AfterEach
  void close() {
    cachet.close();
  }

  /** Counts calls per argument. */
  static final class Counts {
    final Map<Object, AtomicInteger> byArg = new ConcurrentHashMap<>();

    int count(Object arg) {
      return byArg.computeIfAbsent(arg, a -> new AtomicInteger()).incrementAndGet();
    }

    int of(Object arg) {
      AtomicInteger n = byArg.get(arg);
      return n == null ? 0 : n.get();
    }
  }

  public interface Clock {
    @Memoize
    long bootTime();
  }

  @Test
  void aMemoizedMethodWithoutParametersComputesOnce() {
    AtomicInteger calls = new AtomicInteger();
    Clock clock = cachet.proxy(Clock.class, () -> 1000L + calls.incrementAndGet());
    assertThat(clock.bootTime()).isEqualTo(1001L);
    assertThat(clock.bootTime()).isEqualTo(1001L);
    assertThat(calls).hasValue(1);
    assertThat(cachet.stats("Clock.bootTime").orElseThrow().hits()).isEqualTo(1);
  }

  public interface Lookup {
    @Memoize
    String find(String code);

    @Memoize
    String find(int id);

    @Memoize
    String other(String code);
  }

  @Test
  void overloadedMethodsGetOneCacheEachNamedWithTheirParameterTypes() {
    Lookup lookup = cachet.proxy(Lookup.class, new Lookup() {
      @Override
      public String find(String code) {
        return "code " + code;
      }

      @Override
      public String find(int id) {
        return "id " + id;
      }

      @Override
      public String other(String code) {
        return code;
      }
    });
    assertThat(lookup.find("7")).isEqualTo("code 7");
    assertThat(lookup.find(7)).isEqualTo("id 7");
    assertThat(cachet.stats()).containsOnlyKeys("Lookup.find(String)", "Lookup.find(int)",
        "Lookup.other");
  }

  public interface Sessions {
    @Memoize(tti = "5s")
    int session(String user);
  }

  @Test
  void ttiExpiresAnEntryNotReadForThatLong() {
    Counts counts = new Counts();
    Sessions sessions = cachet.proxy(Sessions.class, counts::count);
    sessions.session("ann");
    ticker.advance(Duration.ofSeconds(4));
    sessions.session("ann");
    ticker.advance(Duration.ofSeconds(4));
    assertThat(sessions.session("ann")).as("read 4 s ago: still there").isEqualTo(1);
    ticker.advance(Duration.ofSeconds(6));
    assertThat(sessions.session("ann")).as("idle 6 s: expired").isEqualTo(2);
  }

  public interface Sized {
    // LRU evicts as it stores (the adaptive policy catches up a moment later).
    @Memoize(maximumSize = 0, policy = EvictionPolicy.LRU)
    int none(String k);

    @Memoize(maximumSize = 2, policy = EvictionPolicy.LRU)
    int lru(String k);

    @Memoize(maximumSize = 2, policy = EvictionPolicy.FIFO)
    int fifo(String k);
  }

  @Test
  void maximumSizeZeroKeepsNothing() {
    Counts counts = new Counts();
    Sized sized = cachet.proxy(Sized.class, new SizedImpl(counts));
    sized.none("a");
    sized.none("a");
    assertThat(counts.of("none:a")).isEqualTo(2);
  }

  private record SizedImpl(Counts counts) implements Sized {
    @Override
    public int none(String k) {
      return counts.count("none:" + k);
    }

    @Override
    public int lru(String k) {
      return counts.count("lru:" + k);
    }

    @Override
    public int fifo(String k) {
      return counts.count("fifo:" + k);
    }
  }

  @Test
  void theAnnotationsPolicyDecidesWhichEntryMakesRoom() {
    Counts counts = new Counts();
    Sized sized = cachet.proxy(Sized.class, new SizedImpl(counts));
    for (String k : List.of("a", "b", "a", "c")) {
      sized.lru(k);
      sized.fifo(k);
    }
    // LRU: b was used least recently, so c replaced it.
    sized.lru("a");
    sized.lru("c");
    assertThat(counts.of("lru:a")).isEqualTo(1);
    assertThat(counts.of("lru:c")).isEqualTo(1);
    sized.lru("b");
    assertThat(counts.of("lru:b")).isEqualTo(2);
    // FIFO: a came in first, so c replaced it although it was read again.
    sized.fifo("b");
    sized.fifo("c");
    assertThat(counts.of("fifo:b")).isEqualTo(1);
    assertThat(counts.of("fifo:c")).isEqualTo(1);
    sized.fifo("a");
    assertThat(counts.of("fifo:a")).isEqualTo(2);
  }

  public interface TwoPolicies {
    @Memoize(policy = {EvictionPolicy.LRU, EvictionPolicy.LFU})
    int get(String k);
  }

  @Test
  void moreThanOnePolicyIsRefused() {
    assertThatThrownBy(() -> cachet.proxy(TwoPolicies.class, k -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TwoPolicies.get").hasMessageContaining("at most one policy");
  }

  public interface Amounts {
    @Memoize(typed = true)
    String typed(Number n);

    @Memoize
    String untyped(Number n);
  }

  @Test
  void typedKeepsEqualNumbersOfDifferentTypesApart() {
    Counts counts = new Counts();
    Amounts amounts = cachet.proxy(Amounts.class, new Amounts() {
      @Override
      public String typed(Number n) {
        return "typed " + counts.count("typed");
      }

      @Override
      public String untyped(Number n) {
        return "untyped " + counts.count("untyped");
      }
    });
    amounts.typed(1);
    amounts.typed(1L);
    amounts.untyped(1);
    amounts.untyped(1L);
    assertThat(counts.of("typed")).isEqualTo(2);
    assertThat(counts.of("untyped")).as("1 and 1L are one key").isEqualTo(1);
  }

  public interface BlankTag {
    @Memoize(tags = {"ok", " "})
    int get(String k);
  }

  @Test
  void aBlankTagIsRefused() {
    assertThatThrownBy(() -> cachet.proxy(BlankTag.class, k -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BlankTag.get").hasMessageContaining("a tag is blank");
  }

  public interface EarlyWithoutTtl {
    @Memoize(earlyRefresh = true)
    int get(String k);
  }

  public interface EarlyWithTtl {
    @Memoize(earlyRefresh = true, ttl = "1m")
    int get(String k);
  }

  @Test
  void earlyRefreshNeedsATtl() {
    assertThatThrownBy(() -> cachet.proxy(EarlyWithoutTtl.class, k -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("earlyRefresh").hasMessageContaining("needs expireAfterWrite");
    assertThat(cachet.proxy(EarlyWithTtl.class, k -> 7).get("a")).isEqualTo(7);
  }

  public interface Quotes {
    @Memoize(ttl = "10s", staleWhileRevalidate = "1m")
    int quote(String symbol);
  }

  @Test
  void aStaleProxiedResultIsServedWhileItIsRefreshedInTheBackground() {
    AtomicInteger calls = new AtomicInteger();
    Quotes quotes = cachet.proxy(Quotes.class, s -> calls.incrementAndGet());
    assertThat(quotes.quote("ACME")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(11));

    assertThat(quotes.quote("ACME")).as("stale value served at once").isEqualTo(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Integer seen = quotes.quote("ACME");
    while (Objects.equals(seen, 1) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      seen = quotes.quote("ACME");
    }
    assertThat(seen).as("the refreshed value").isEqualTo(2);
    assertThat(calls).hasValue(2);
  }

  @Test
  void aProxyNeedsBothAnInterfaceAndAnImplementation() {
    assertThatThrownBy(() -> cachet.proxy(null, "impl"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("a null interface");
    assertThatThrownBy(() -> cachet.proxy(Quotes.class, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("a null implementation");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void anImplementationOfAnotherTypeIsRefused() {
    Class raw = Quotes.class;
    assertThatThrownBy(() -> cachet.proxy(raw, "not a Quotes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String")
        .hasMessageContaining("does not implement " + Quotes.class.getName());
  }

  /**
   * Compiles {@code sources} without {@code -parameters} (as many builds do) into a class loader
   * of its own, so that every run sees classes, and proxy classes, nobody has used before.
   */
  private URLClassLoader compile(Map<String, String> sources) throws Exception {
    Path src = Files.createTempDirectory(tmp, "src");
    Path out = Files.createTempDirectory(tmp, "classes");
    List<Path> files = new java.util.ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      files.add(file);
    }
    String classpath = Path.of(Memoize.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).toString();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    try (var fm = javac.getStandardFileManager(null, null, null)) {
      boolean ok = javac.getTask(messages, fm, null,
          List.of("-proc:none", "-classpath", classpath, "-d", out.toString()), null,
          fm.getJavaFileObjectsFromPaths(files)).call();
      assertThat(ok).as("compilation: %s", messages).isTrue();
    }
    return new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
  }

  private <T> T proxy(Class<T> iface, Object impl) {
    return cachet.proxy(iface, iface.cast(impl));
  }

  @Test
  void aPackagePrivateInterfaceIsProxiedAndCachedToo() throws Exception {
    try (URLClassLoader loader = compile(Map.of(
        "p/Greeter.java", """
            package p;
            interface Greeter {
              @dev.cachet.Memoize
              String greet(String name);
            }
            """,
        "p/GreeterImpl.java", """
            package p;
            public class GreeterImpl implements Greeter {
              public int calls;
              public String greet(String name) {
                calls++;
                return "hello " + name;
              }
            }
            """))) {
      Class<?> iface = loader.loadClass("p.Greeter");
      Object impl = loader.loadClass("p.GreeterImpl").getConstructor().newInstance();
      Object greeter = proxy(iface, impl);
      Method greet = iface.getDeclaredMethod("greet", String.class);
      greet.setAccessible(true);

      assertThat(greet.invoke(greeter, "ann")).isEqualTo("hello ann");
      assertThat(greet.invoke(greeter, "ann")).isEqualTo("hello ann");
      assertThat(impl.getClass().getField("calls").getInt(impl)).isEqualTo(1);
    }
  }

  @Test
  void ignoringAParameterByNameOfAnInterfaceCompiledWithoutNamesSaysHowToFixIt()
      throws Exception {
    try (URLClassLoader loader = compile(Map.of(
        "q/Search.java", """
            package q;
            public interface Search {
              @dev.cachet.Memoize(ignore = "verbose")
              int count(String topic, boolean verbose);
            }
            """,
        "q/Plain.java", """
            package q;
            public interface Plain {
              @dev.cachet.Memoize
              int count(String topic, boolean verbose);
            }
            """))) {
      Class<?> search = loader.loadClass("q.Search");
      Object impl = java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {search},
          (p, m, args) -> 1);
      assertThatThrownBy(() -> proxy(search, impl))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'verbose'").hasMessageContaining("parameter names are unknown")
          .hasMessageContaining("-parameters");

      Class<?> plain = loader.loadClass("q.Plain");
      AtomicInteger calls = new AtomicInteger();
      Object plainImpl = java.lang.reflect.Proxy.newProxyInstance(loader,
          new Class<?>[] {plain}, (p, m, args) -> calls.incrementAndGet());
      Object proxied = proxy(plain, plainImpl);
      Method count = plain.getMethod("count", String.class, boolean.class);
      assertThat(count.invoke(proxied, "java", true)).isEqualTo(1);
      assertThat(count.invoke(proxied, "java", true)).as("keyed by both, names or not")
          .isEqualTo(1);
      assertThat(count.invoke(proxied, "java", false)).isEqualTo(2);
    }
  }
}
