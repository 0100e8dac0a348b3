package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Which arguments identify a call when some are ignored or a key function chooses: a call that
 * differs only in an ignored argument is a hit, a call that differs in a kept argument never
 * is (that would be a wrong answer). Covers the shapes PIT found untested in
 * {@code dev.cachet.memo.KeyPlan}: two-argument functions with a key function, one of two
 * parameters ignored, all ignored, and one of three ignored (docs/TESTING.md).
 */
class IgnoredAndKeyedParametersTest {

  private final Cachet cachet = Cachet.create();

  /** An interface whose middle parameter (a trace handle) does not change the answer. */
  public interface Search {
    @Memoize(ignore = "trace")
    String find(String query, Object trace, int limit);
  }

  @Test
  void aKeyFunctionOnTwoArgumentsSeesBothAndDecidesAlone() {
    List<Object> seen = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.function("greet")
        .keyBy(args -> {
          seen.add(args[1]);
          return args[0];
        })
        .memoize((String who, String requestId) -> who + "#" + calls.incrementAndGet());
    assertThat(f.apply("ann", "r1")).isEqualTo("ann#1");
    assertThat(f.apply("ann", "r2")).isEqualTo("ann#1");
    assertThat(f.apply("bob", "r3")).isEqualTo("bob#2");
    assertThat(seen).containsExactly("r1", "r2", "r3");
  }

  @Test
  void ignoringTheFirstOfTwoParametersKeysOnTheSecond() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.function("price").ignore(0)
        .memoize((Object log, String sku) -> sku + "#" + calls.incrementAndGet());
    assertThat(f.apply(new Object(), "a")).isEqualTo("a#1");
    assertThat(f.apply(new Object(), "a")).isEqualTo("a#1");
    assertThat(f.apply(new Object(), "b")).isEqualTo("b#2");
  }

  @Test
  void ignoringEveryParameterMakesOneEntry() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.function("config").ignore(0, 1)
        .memoize((String a, String b) -> "v" + calls.incrementAndGet());
    assertThat(f.apply("x", "y")).isEqualTo("v1");
    assertThat(f.apply("z", "w")).isEqualTo("v1");
    assertThat(f.cacheInfo().misses()).isEqualTo(1);
  }

  @Test
  void ignoringOneOfThreeParametersKeepsTheOtherTwoInOrder() {
    AtomicInteger calls = new AtomicInteger();
    Search search = cachet.proxy(Search.class,
        (query, trace, limit) -> query + ":" + limit + "#" + calls.incrementAndGet());
    assertThat(search.find("cats", new Object(), 10)).isEqualTo("cats:10#1");
    assertThat(search.find("cats", new Object(), 10)).isEqualTo("cats:10#1");
    assertThat(search.find("cats", new Object(), 20)).isEqualTo("cats:20#2");
    assertThat(search.find("dogs", new Object(), 10)).isEqualTo("dogs:10#3");
  }
}
