package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MemoizeTest {
  private final Cachet cachet = Cachet.create();

  @Test
  void secondCallWithSameArgumentIsServedFromTheCache() {
    AtomicInteger calls = new AtomicInteger();
    MemoizedFunction<String, Integer> length = cachet.memoize("length", s -> {
      calls.incrementAndGet();
      return s.length();
    });

    assertThat(length.apply("hello")).isEqualTo(5);
    assertThat(length.apply("hello")).isEqualTo(5);
    assertThat(length.apply("hi")).isEqualTo(2);

    assertThat(calls).hasValue(2);
    assertThat(length.cacheInfo()).isEqualTo(new CacheInfo(1, 2, 10_000, 2));
    assertThat(length.cacheInfo()).hasToString(
        "CacheInfo(hits=1, misses=2, maxsize=10000, currsize=2)");
  }

  @Test
  void cacheClearDropsEntriesAndResetsCountersLikePython() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.memoize("f", (Integer x) -> calls.incrementAndGet());
    f.apply(1);
    f.apply(1);

    f.cacheClear();

    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 0, 10_000, 0));
    f.apply(1);
    assertThat(calls).hasValue(2);
  }

  @Test
  void wrappedBypassesTheCache() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.memoize("f", (Integer x) -> calls.incrementAndGet());
    f.apply(1);
    f.wrapped().apply(1);
    f.wrapped().apply(1);
    assertThat(calls).hasValue(3);
    assertThat(f.cacheInfo().misses()).isEqualTo(1);
  }

  @Test
  void invalidateDropsOneArgumentOnly() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.memoize("f", (Integer x) -> x * 10 + calls.incrementAndGet());
    f.apply(1);
    f.apply(2);

    assertThat(f.invalidate(1)).isTrue();
    assertThat(f.invalidate(1)).isFalse();

    f.apply(1);
    f.apply(2);
    assertThat(calls).hasValue(3);
  }

  @Test
  void biFunctionIsKeyedByBothArguments() {
    AtomicInteger calls = new AtomicInteger();
    MemoizedBiFunction<String, Integer, String> repeat = cachet.memoize("repeat",
        (String s, Integer n) -> {
          calls.incrementAndGet();
          return s.repeat(n);
        });
    assertThat(repeat.apply("ab", 2)).isEqualTo("abab");
    assertThat(repeat.apply("ab", 2)).isEqualTo("abab");
    assertThat(repeat.apply("ab", 3)).isEqualTo("ababab");
    assertThat(repeat.apply("b", 2)).isEqualTo("bb");
    assertThat(calls).hasValue(3);
    assertThat(repeat.invalidate("ab", 2)).isTrue();
    repeat.apply("ab", 2);
    assertThat(calls).hasValue(4);
  }

  @Test
  void zeroArgumentLambdaIsNotAmbiguousAndIsComputedOnce() {
    AtomicInteger calls = new AtomicInteger();
    MemoizedSupplier<Integer> answer = cachet.memoize("answer", () -> 40 + calls.incrementAndGet() + 1);
    assertThat(answer.get()).isEqualTo(42);
    assertThat(answer.get()).isEqualTo(42);
    assertThat(calls).hasValue(1);
    assertThat(answer.invalidate()).isTrue();
    assertThat(answer.get()).isEqualTo(43);
  }

  @Test
  void callableKeepsItsCheckedExceptionAndDoesNotCacheIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Callable<String> read = () -> {
      if (calls.incrementAndGet() == 1) {
        throw new IOException("disk unplugged");
      }
      return "content";
    };
    MemoizedCallable<String> memo = cachet.memoize("read", read);

    assertThatThrownBy(memo::call).isInstanceOf(IOException.class).hasMessage("disk unplugged");
    assertThat(memo.call()).isEqualTo("content");
    assertThat(memo.call()).isEqualTo("content");
    assertThat(calls).hasValue(2);
    assertThat(memo.stats().loadFailures()).isEqualTo(1);
    assertThat(memo.stats().loadSuccesses()).isEqualTo(1);
  }

  @Test
  void aPlainFunctionVariableIsAcceptedToo() {
    Function<Integer, Integer> square = x -> x * x;
    var memo = cachet.memoize("square", square);
    assertThat(memo.apply(7)).isEqualTo(49);
    assertThat(memo.wrapped()).isSameAs(square);
  }

  @Test
  void untypedKeysMergeEqualNumbersAndTypedKeysKeepThemApart() {
    AtomicInteger untypedCalls = new AtomicInteger();
    var untyped = cachet.memoize("untyped", (Object x) -> untypedCalls.incrementAndGet());
    untyped.apply(1);
    untyped.apply(1L);
    untyped.apply(1.0);
    assertThat(untypedCalls).hasValue(1);

    AtomicInteger typedCalls = new AtomicInteger();
    var typed = cachet.function("typed").typed(true).memoize((Object x) -> typedCalls.incrementAndGet());
    typed.apply(1);
    typed.apply(1L);
    typed.apply(1.0);
    typed.apply(1);
    assertThat(typedCalls).hasValue(3);
  }

  @Test
  void mutatingAListArgumentAfterTheCallDoesNotCorruptTheCache() {
    var sum = cachet.memoize("sum", (List<Integer> xs) -> xs.stream().mapToInt(i -> i).sum());
    List<Integer> xs = new ArrayList<>(List.of(1, 2, 3));
    assertThat(sum.apply(xs)).isEqualTo(6);

    xs.add(4);

    assertThat(sum.apply(xs)).isEqualTo(10);
    assertThat(sum.apply(List.of(1, 2, 3))).isEqualTo(6);
    assertThat(sum.cacheInfo().misses()).isEqualTo(2);
  }

  @Test
  void nullArgumentsAndNullResultsAreCachedByDefault() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.memoize("nullable", (String s) -> {
      calls.incrementAndGet();
      return s == null ? null : s.trim();
    });
    assertThat(f.apply(null)).isNull();
    assertThat(f.apply(null)).isNull();
    assertThat(calls).hasValue(1);
    assertThat(f.cacheInfo().currSize()).isEqualTo(1);
  }

  @Test
  void nullResultsCanBeLeftUncached() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.function("lookup").cacheNulls(false).memoize((String s) -> {
      calls.incrementAndGet();
      return s.isEmpty() ? null : s;
    });
    assertThat(f.apply("")).isNull();
    assertThat(f.apply("")).isNull();
    assertThat(f.apply("x")).isEqualTo("x");
    assertThat(f.apply("x")).isEqualTo("x");
    assertThat(calls).hasValue(3);
  }

  @Test
  void aPredicateDecidesWhichResultsAreStored() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.function("answers")
        .cacheIf(result -> !((String) result).startsWith("error"))
        .memoize((String q) -> calls.incrementAndGet() == 1 ? "error: try later" : "ok " + q);
    assertThat(f.apply("q")).isEqualTo("error: try later");
    assertThat(f.apply("q")).isEqualTo("ok q");
    assertThat(f.apply("q")).isEqualTo("ok q");
    assertThat(calls).hasValue(2);
  }

  @Test
  void exceptionsAreNotCachedByDefault() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.memoize("flaky", (Integer x) -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("attempt " + calls.get());
      }
      return x;
    });
    assertThatThrownBy(() -> f.apply(1)).hasMessage("attempt 1");
    assertThatThrownBy(() -> f.apply(1)).hasMessage("attempt 2");
    assertThat(f.apply(1)).isEqualTo(1);
    assertThat(f.cacheInfo().currSize()).isEqualTo(1);
  }

  @Test
  void exceptionsCanBeCachedForTheirOwnShortTime() {
    FakeTicker ticker = new FakeTicker();
    Cachet timed = Cachet.builder().ticker(ticker).expireAfterWrite(Duration.ofHours(1)).build();
    AtomicInteger calls = new AtomicInteger();
    var f = timed.function("flaky").cacheExceptions(Duration.ofSeconds(10)).memoize((Integer x) -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("upstream down");
      }
      return x;
    });

    assertThatThrownBy(() -> f.apply(1)).hasMessage("upstream down");
    assertThatThrownBy(() -> f.apply(1)).hasMessage("upstream down");
    assertThat(calls).hasValue(1);

    ticker.advance(Duration.ofSeconds(11));
    assertThat(f.apply(1)).isEqualTo(1);
    ticker.advance(Duration.ofMinutes(30));
    assertThat(f.apply(1)).isEqualTo(1);
    assertThat(calls).hasValue(2);
  }

  @Test
  void ignoredParametersByNameAreLeftOutOfTheKey() {
    var search = cachet.function("kb_search").ignore("logger").memoize(this::kbSearch);
    assertThat(search.apply("java", new StringBuilder("log-1"))).isEqualTo("results for java");
    assertThat(search.apply("java", new StringBuilder("log-2"))).isEqualTo("results for java");
    assertThat(search.cacheInfo().misses()).isEqualTo(1);
    assertThat(search.cacheInfo().hits()).isEqualTo(1);
  }

  private String kbSearch(String query, StringBuilder logger) {
    logger.append("searching ").append(query);
    return "results for " + query;
  }

  @Test
  void ignoredParametersByPosition() {
    var f = cachet.function("f").ignore(1).memoize((String q, Object log) -> q.toUpperCase());
    f.apply("a", new Object());
    f.apply("a", new Object());
    assertThat(f.cacheInfo().misses()).isEqualTo(1);
  }

  @Test
  void ignoringAnUnknownParameterNameSaysWhichNamesExist() {
    assertThatThrownBy(() -> cachet.function("kb_search").ignore("log").memoize(this::kbSearch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'log'")
        .hasMessageContaining("[query, logger]");
  }

  @Test
  void ignoringByNameNeedsVisibleParameterNames() {
    java.util.function.BiFunction<String, Object, String> plain = (q, log) -> q;
    assertThatThrownBy(() -> cachet.function("f").ignore("log").memoize(plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter names are unknown")
        .hasMessageContaining(".ignore(int...)");
  }

  @Test
  void ignoringAPositionThatDoesNotExistIsAnError() {
    assertThatThrownBy(() -> cachet.function("f").ignore(2).memoize((String a, String b) -> a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#2")
        .hasMessageContaining("2 parameters");
  }

  private String render(String template, Thread worker) {
    return template + " on " + worker.getName();
  }

  @Test
  void anArgumentWithoutAStableValueFailsNamingTheParameterAndTheFixes() {
    var f = cachet.memoize("render", this::render);
    assertThatThrownBy(() -> f.apply("t", Thread.currentThread()))
        .isInstanceOf(dev.cachet.key.KeyException.class)
        .hasMessageContaining("parameter 'worker' of render")
        .hasMessageContaining("java.lang.Thread")
        .hasMessageContaining(".ignore(\"worker\")")
        .hasMessageContaining("KeyPart");
    var ignoring = cachet.function("render2").ignore("worker").memoize(this::render);
    assertThat(ignoring.apply("t", Thread.currentThread())).startsWith("t on ");
  }

  @Test
  void aKeyFunctionChoosesWhatIdentifiesACall() {
    record Request(String user, String query, long timestamp) {
    }
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.function("handle")
        .keyBy(args -> ((Request) args[0]).query())
        .memoize((Request r) -> r.query() + "#" + calls.incrementAndGet());
    assertThat(f.apply(new Request("ann", "weather", 1))).isEqualTo("weather#1");
    assertThat(f.apply(new Request("bob", "weather", 2))).isEqualTo("weather#1");
    assertThat(f.apply(new Request("bob", "news", 3))).isEqualTo("news#2");
  }

  @Test
  void aFunctionMayCallItselfRecursively() {
    List<Integer> computed = new ArrayList<>();
    var holder = new Object() {
      MemoizedFunction<Integer, Long> factorial;
    };
    holder.factorial = cachet.memoize("factorial", (Integer n) -> {
      computed.add(n);
      return n <= 1 ? 1L : n * holder.factorial.apply(n - 1);
    });

    assertThat(holder.factorial.apply(10)).isEqualTo(3_628_800L);
    assertThat(computed).containsExactly(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    computed.clear();
    assertThat(holder.factorial.apply(12)).isEqualTo(479_001_600L);
    assertThat(computed).containsExactly(12, 11);
  }

  @Test
  void memoizedFunctionsMayCallEachOtherRecursively() {
    var fns = new Object() {
      MemoizedFunction<Integer, Boolean> even;
      MemoizedFunction<Integer, Boolean> odd;
    };
    fns.even = cachet.memoize("even", (Integer n) -> n == 0 || fns.odd.apply(n - 1));
    fns.odd = cachet.memoize("odd", (Integer n) -> n != 0 && fns.even.apply(n - 1));
    assertThat(fns.even.apply(500)).isTrue();
    assertThat(fns.odd.apply(77)).isTrue();
    assertThat(fns.even.cacheInfo().currSize()).isGreaterThan(200);
  }

  @Test
  void callingItselfWithTheSameArgumentsFailsClearlyInsteadOfHanging() {
    var holder = new Object() {
      MemoizedFunction<Integer, Integer> loop;
    };
    holder.loop = cachet.memoize("loop", (Integer n) -> holder.loop.apply(n));
    assertThatThrownBy(() -> holder.loop.apply(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'loop'")
        .hasMessageContaining("same arguments");
  }

  @Test
  void perFunctionPolicyAndSizeEvictExactly() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.function("lru").policy(EvictionPolicy.LRU).maximumSize(2)
        .memoize((Integer x) -> x + calls.incrementAndGet() * 0);
    f.apply(1);
    f.apply(2);
    f.apply(1);   // 2 is now least recently used
    f.apply(3);   // evicts 2
    f.apply(1);
    f.apply(3);
    assertThat(calls).hasValue(3);
    f.apply(2);
    assertThat(calls).hasValue(4);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(3, 4, 2, 2));
  }

  @Test
  void expireAfterWriteUsesTheTicker() {
    FakeTicker ticker = new FakeTicker();
    Cachet timed = Cachet.builder().ticker(ticker).expireAfterWrite(Duration.ofSeconds(5)).build();
    AtomicInteger calls = new AtomicInteger();
    var f = timed.memoize("f", (Integer x) -> calls.incrementAndGet());
    f.apply(1);
    ticker.advance(Duration.ofSeconds(4));
    f.apply(1);
    assertThat(calls).hasValue(1);
    ticker.advance(Duration.ofSeconds(2));
    f.apply(1);
    assertThat(calls).hasValue(2);
  }

  @Test
  void expireAfterAccessIsRefreshedByReads() {
    FakeTicker ticker = new FakeTicker();
    for (EvictionPolicy policy : EvictionPolicy.values()) {
      Cachet timed = Cachet.builder().ticker(ticker).policy(policy)
          .expireAfterAccess(Duration.ofSeconds(5)).build();
      AtomicInteger calls = new AtomicInteger();
      var f = timed.memoize("f", (Integer x) -> calls.incrementAndGet());
      f.apply(1);
      for (int i = 0; i < 4; i++) {
        ticker.advance(Duration.ofSeconds(3));
        f.apply(1);
      }
      assertThat(calls).as(policy.name()).hasValue(1);
      ticker.advance(Duration.ofSeconds(6));
      f.apply(1);
      assertThat(calls).as(policy.name()).hasValue(2);
    }
  }

  @Test
  void perEntryExpiryGivesEachResultItsOwnLifetime() {
    FakeTicker ticker = new FakeTicker();
    for (EvictionPolicy policy : EvictionPolicy.values()) {
      Cachet timed = Cachet.builder().ticker(ticker).policy(policy)
          .expireAfterWrite(Duration.ofMinutes(10))
          .expireAfter((key, value) -> ((String) value).isEmpty() ? Duration.ofSeconds(1) : null)
          .build();
      AtomicInteger calls = new AtomicInteger();
      var f = timed.memoize("f", (String q) -> {
        calls.incrementAndGet();
        return q.startsWith("none") ? "" : "found " + q;
      });
      f.apply("none");
      f.apply("x");
      ticker.advance(Duration.ofSeconds(2));
      f.apply("none");
      f.apply("x");
      assertThat(calls).as(policy.name()).hasValue(3);
      ticker.advance(Duration.ofMinutes(10));
      f.apply("x");
      assertThat(calls).as(policy.name()).hasValue(4);
    }
  }

  @Test
  void weightBoundCountsTheWeigher() {
    var f = cachet.function("docs").policy(EvictionPolicy.LRU)
        .maximumWeight(10, (k, v) -> ((String) v).length())
        .memoize((Integer n) -> "x".repeat(n));
    f.apply(4);
    f.apply(5);
    f.apply(3); // 12 > 10: the least recently used (4) goes
    assertThat(f.stats().weight()).isEqualTo(8);
    assertThat(f.stats().evictionsBySize()).isEqualTo(1);
    assertThat(f.cacheInfo().maxSize()).isEqualTo(10);
  }

  @Test
  void theDefaultIsBoundedAndUnboundedMustBeAskedForAndSaysSo() {
    var bounded = cachet.memoize("bounded", (Integer x) -> x);
    assertThat(bounded.cacheInfo().maxSize()).isEqualTo(10_000);
    assertThat(bounded.toString()).contains("maximumSize=10000").doesNotContain("UNBOUNDED");

    var unbounded = cachet.function("all").unbounded().memoize((Integer x) -> x);
    assertThat(unbounded.cacheInfo().bounded()).isFalse();
    assertThat(unbounded.cacheInfo()).hasToString(
        "CacheInfo(hits=0, misses=0, maxsize=None, currsize=0)");
    assertThat(unbounded.toString()).contains("UNBOUNDED");
  }

  @Test
  void buildersAreImmutableTemplates() {
    CacheSpec base = cachet.function("shared").maximumSize(5);
    CacheSpec lru = base.policy(EvictionPolicy.LRU);
    var a = base.memoize((Integer x) -> x);
    var b = lru.memoize((Integer x) -> x);
    assertThat(a.toString()).contains("policy=ADAPTIVE");
    assertThat(b.toString()).contains("policy=LRU");

    Cachet.Builder template = Cachet.builder().maximumSize(7);
    Cachet seven = template.build();
    Cachet eight = template.maximumSize(8).build();
    assertThat(seven.memoize("x", (Integer x) -> x).cacheInfo().maxSize()).isEqualTo(7);
    assertThat(eight.memoize("x", (Integer x) -> x).cacheInfo().maxSize()).isEqualTo(8);
  }

  @Test
  void badSettingsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> Cachet.builder().maximumSize(-1))
        .hasMessageContaining("maximumSize must be zero or positive, got -1")
        .hasMessageContaining("unbounded()");
    assertThatThrownBy(() -> Cachet.builder().expireAfterWrite(Duration.ZERO))
        .hasMessageContaining("expireAfterWrite must be longer than zero");
    assertThatThrownBy(() -> cachet.memoize(" ", (Integer x) -> x))
        .hasMessageContaining("a cache needs a name");
  }

  @Test
  void namedCachesCanBeInvalidatedTogether() {
    AtomicInteger calls = new AtomicInteger();
    var f = cachet.memoize("group", (Integer x) -> calls.incrementAndGet());
    var g = cachet.memoize("group", (String x) -> calls.incrementAndGet());
    f.apply(1);
    g.apply("a");
    assertThat(cachet.invalidateAll("group")).isEqualTo(2);
    f.apply(1);
    g.apply("a");
    assertThat(calls).hasValue(4);
    assertThat(cachet.stats().get("group").misses()).isEqualTo(4);
  }

  @Test
  void invalidatingATagDropsTheTaggedFunctionsEntriesAndOnlyThose() {
    AtomicInteger calls = new AtomicInteger();
    var tagged = cachet.function("prices").tags("catalog")
        .memoize((Integer x) -> calls.incrementAndGet());
    var other = cachet.memoize("untagged", (Integer x) -> calls.incrementAndGet());
    tagged.apply(1);
    other.apply(1);

    assertThat(cachet.invalidateTag("catalog")).isEqualTo(1);

    assertThat(tagged.cacheInfo().currSize()).isZero();
    assertThat(other.cacheInfo().currSize()).isEqualTo(1);
    tagged.apply(1);
    other.apply(1);
    assertThat(calls).hasValue(3);
  }
}
