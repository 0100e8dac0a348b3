package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What Cachet refuses when a cache is created, and that it refuses it at once, naming the fix:
 * bad names, missing functions, and settings that make no sense for a plain cache.
 */
class CacheNamesAndArgumentsTest {
  private final Cachet cachet = Cachet.create();

  @AfterEach
  void close() {
    cachet.close();
  }

  @Test
  void aNullOrBlankNameIsRefusedShowingWhatWasGiven() {
    assertThatThrownBy(() -> cachet.memoize(null, (Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a cache needs a name").hasMessageEndingWith("got null");
    assertThatThrownBy(() -> cachet.memoize(" ", (Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a cache needs a name").hasMessageEndingWith("got \" \"");
  }

  @Test
  void namesUpToTwoHundredCharactersAreAccepted() {
    assertThat(cachet.memoize("n".repeat(200), (Integer x) -> x + 1).apply(1)).isEqualTo(2);
    assertThatThrownBy(() -> cachet.memoize("n".repeat(201), (Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("201 characters long").hasMessageContaining("limit is 200");
  }

  @Test
  void aPlainCacheOrAProxiedMethodNeedsANameToo() {
    assertThatThrownBy(() -> cachet.cache(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a cache needs a name");
    assertThatThrownBy(() -> cachet.function("").cache(String.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a cache needs a name");
  }

  @Test
  void theNameIsCheckedBeforeTheParameters() {
    assertThatThrownBy(() -> cachet.function(" ").ignore(5).memoize((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a cache needs a name");
  }

  @Test
  void memoizingNullIsRefusedAtOnceForEveryShapeOfFunction() {
    List<ThrowingCallable> nulls = List.of(
        () -> cachet.memoize("f", (Function<Integer, Integer>) null),
        () -> cachet.memoize("f", (BiFunction<Integer, Integer, Integer>) null),
        () -> cachet.memoize("f", (Supplier<Integer>) null),
        () -> cachet.memoize("f", (Callable<Integer>) null),
        () -> cachet.function("f").memoize((SerializableFunction<Integer, Integer>) null));
    for (ThrowingCallable memoizeNull : nulls) {
      assertThatThrownBy(memoizeNull).isInstanceOf(NullPointerException.class)
          .hasMessage("memoize(\"f\", ...) needs a function; got null");
    }
  }

  @Test
  void ignoreAndKeyByAreRefusedOnAPlainCacheWithTheFix() {
    List<CacheSpec> specs = List.of(
        cachet.function("c").ignore("key"),
        cachet.function("c").ignore(0),
        cachet.function("c").keyBy(args -> args[0]));
    for (CacheSpec spec : specs) {
      assertThatThrownBy(spec::cache).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cache 'c'").hasMessageContaining("not to a plain cache's keys")
          .hasMessageContaining("memoize(...)");
      assertThatThrownBy(() -> spec.cache(String.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not to a plain cache's keys");
    }
  }

  @Test
  void aPlainCacheGivenItsValueTypeWorksInMemoryWhenThereIsNoTier() {
    Cache<String, String> c = cachet.function("c").cache(String.class);
    c.put("a", "A");
    assertThat(c.getIfPresent("a")).isEqualTo("A");
    assertThat(c.stats().hits()).isEqualTo(1);
    assertThat(c.stats().hitsByTier()).as("memory-only: no split by tier").isEmpty();
  }

  @Test
  void aTypedPlainCacheKeepsEqualNumbersOfDifferentTypesApart() {
    Cache<Number, String> typed = cachet.function("typed").typed(true).cache();
    Cache<Number, String> untyped = cachet.function("untyped").cache();
    typed.put(1, "int");
    untyped.put(1, "int");
    assertThat(typed.getIfPresent(1L)).isNull();
    assertThat(typed.getIfPresent(1)).isEqualTo("int");
    assertThat(untyped.getIfPresent(1L)).as("1 and 1L are one key").isEqualTo("int");
  }
}
