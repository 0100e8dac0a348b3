package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  private static final AtomicInteger PRICES = new AtomicInteger();

  private static String price(Object log, String sku) {
    return sku + "#" + PRICES.incrementAndGet();
  }

  @Test
  void ignoringTheFirstParameterByNameKeysOnTheRest() {
    PRICES.set(0);
    var f = cachet.function("price").ignore("log")
        .memoize(IgnoredAndKeyedParametersTest::price);
    assertThat(f.apply(new Object(), "a")).isEqualTo("a#1");
    assertThat(f.apply(new Object(), "a")).isEqualTo("a#1");
    assertThat(f.apply(new Object(), "b")).isEqualTo("b#2");
  }

  @Test
  void aPositionBeyondAOneParameterFunctionIsReportedInTheSingular() {
    assertThatThrownBy(() -> cachet.function("f").ignore(1).memoize((String a) -> a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#1").hasMessageContaining("it has 1 parameter (positions");
  }

  private static final AtomicInteger GREETS = new AtomicInteger();

  /** A receiver class whose instance method is memoized as an unbound method reference. */
  public record Greeter(String greeting) {
    public String greet(String requestId) {
      return greeting + GREETS.incrementAndGet();
    }
  }

  /** The same through an interface. */
  public interface Labelled {
    String label(String requestId);
  }

  enum Colour implements Labelled {
    RED;

    @Override
    public String label(String requestId) {
      return name() + GREETS.incrementAndGet();
    }
  }

  record Pair(String left, String right) {
  }

  @Test
  void parametersOfUnboundMethodReferencesAndConstructorsAreKnownByName() {
    GREETS.set(0);
    var greet = cachet.function("greet").ignore("requestId").memoize(Greeter::greet);
    assertThat(greet.apply(new Greeter("hello"), "r1")).isEqualTo("hello1");
    assertThat(greet.apply(new Greeter("hello"), "r2")).as("keyed by the receiver alone")
        .isEqualTo("hello1");

    var label = cachet.function("label").ignore("requestId").memoize(Labelled::label);
    assertThat(label.apply(Colour.RED, "r1")).isEqualTo("RED2");
    assertThat(label.apply(Colour.RED, "r2")).isEqualTo("RED2");

    var pair = cachet.function("pair").ignore("right").memoize(Pair::new);
    assertThat(pair.apply("a", "x")).isEqualTo(new Pair("a", "x"));
    assertThat(pair.apply("a", "y")).as("keyed by left alone").isEqualTo(new Pair("a", "x"));
  }

  @Test
  void ignoringByNameAParameterOfAMethodCompiledWithoutNamesSaysTheyAreUnknown() {
    // The JDK is compiled without -parameters: String.concat's parameter has no name.
    assertThatThrownBy(() -> cachet.function("concat").ignore("str").memoize(String::concat))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter names are unknown");
  }
}
