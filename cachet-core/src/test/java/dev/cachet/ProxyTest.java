package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProxyTest {

  public interface Knowledge {
    @Memoize(ttl = "5s")
    String search(String query);

    @Memoize(name = "kb.count", ignore = "verbose")
    int count(String topic, boolean verbose);

    String uncached(String query);

    @Memoize
    String load(String path) throws IOException;

    default String twice(String query) {
      return search(query) + "|" + search(query);
    }

    default String overridden() {
      return "interface";
    }
  }

  static final class KnowledgeImpl implements Knowledge {
    final AtomicInteger searches = new AtomicInteger();
    final AtomicInteger counts = new AtomicInteger();
    final AtomicInteger uncached = new AtomicInteger();

    @Override
    public String search(String query) {
      searches.incrementAndGet();
      return "results for " + query;
    }

    @Override
    public int count(String topic, boolean verbose) {
      return counts.incrementAndGet();
    }

    @Override
    public String uncached(String query) {
      uncached.incrementAndGet();
      return query;
    }

    @Override
    public String load(String path) throws IOException {
      throw new IOException("no such file: " + path);
    }

    @Override
    public String overridden() {
      return "impl";
    }

    @Override
    public String toString() {
      return "KnowledgeImpl";
    }
  }

  private final FakeTicker ticker = new FakeTicker();
  private final Cachet cachet = Cachet.builder().ticker(ticker).build();
  private final KnowledgeImpl impl = new KnowledgeImpl();
  private final Knowledge kb = cachet.proxy(Knowledge.class, impl);

  @Test
  void annotatedMethodsAreCachedWithTheirOwnTtl() {
    kb.search("java");
    kb.search("java");
    assertThat(impl.searches).hasValue(1);
    ticker.advance(Duration.ofSeconds(6));
    kb.search("java");
    assertThat(impl.searches).hasValue(2);
  }

  @Test
  void unannotatedMethodsPassThrough() {
    kb.uncached("a");
    kb.uncached("a");
    assertThat(impl.uncached).hasValue(2);
  }

  @Test
  void eachMethodHasItsOwnCacheAndAnnotationSettings() {
    kb.count("java", true);
    kb.count("java", false);
    assertThat(impl.counts).hasValue(1);
    assertThat(cachet.stats()).containsKeys("Knowledge.search", "kb.count", "Knowledge.load");
    assertThat(cachet.stats().get("kb.count").hits()).isEqualTo(1);
  }

  @Test
  void defaultMethodsRunThroughTheProxySoTheirCallsAreCached() {
    assertThat(kb.twice("x")).isEqualTo("results for x|results for x");
    assertThat(impl.searches).hasValue(1);
  }

  @Test
  void defaultMethodsOverriddenByTheImplementationRunTheImplementation() {
    assertThat(kb.overridden()).isEqualTo("impl");
  }

  @Test
  void checkedExceptionsReachTheCallerUnchanged() {
    assertThatThrownBy(() -> kb.load("/nope")).isInstanceOf(IOException.class)
        .hasMessage("no such file: /nope");
  }

  @Test
  void equalsHashCodeAndToStringBehave() {
    Knowledge other = cachet.proxy(Knowledge.class, impl);
    assertThat(kb).isEqualTo(kb).isEqualTo(other).isNotEqualTo(null);
    assertThat(kb.hashCode()).isEqualTo(impl.hashCode());
    assertThat(kb).hasToString("KnowledgeImpl");
    assertThat(kb).isNotEqualTo(cachet.proxy(Knowledge.class, new KnowledgeImpl()));
  }

  interface Broken {
    @Memoize
    void log(String line);
  }

  interface BadTtl {
    @Memoize(ttl = "soon")
    String get(String k);
  }

  @Test
  void invalidAnnotationsAreReportedClearly() {
    assertThatThrownBy(() -> cachet.proxy(Broken.class, line -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("returns void");
    assertThatThrownBy(() -> cachet.proxy(BadTtl.class, k -> k))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"soon\" is not a duration")
        .hasMessageContaining("5s");
  }

  @Test
  void proxyingAClassIsRefusedWithAFix() {
    assertThatThrownBy(() -> cachet.proxy(KnowledgeImpl.class, impl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs an interface");
  }
}
