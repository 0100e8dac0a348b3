package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import dev.cachet.disk.DiskTier;
import dev.cachet.llm.CallOptions;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.LlmResult;
import dev.cachet.llm.Lookup;
import dev.cachet.redis.RedisTier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second part of the README's tour (tiers, fleets, LLM calls), kept compiling and passing.
 * It lives in the CLI module because that one sees every other module.
 */
class ReadmeTiersTourTest {
  @TempDir
  Path tmp;

  static final AtomicInteger PRICE_CALLS = new AtomicInteger();
  static final AtomicInteger LLM_CALLS = new AtomicInteger();

  static int fetchPrice(String item) {
    PRICE_CALLS.incrementAndGet();
    return item.length() * 100;
  }

  static LlmResponse callTheModel(LlmRequest request) {
    LLM_CALLS.incrementAndGet();
    return LlmResponse.text("Paris");
  }

  private static String redisUri() {
    boolean required = "1".equals(System.getenv("CACHET_REQUIRE_REDIS"));
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", 6379), 300);
    } catch (java.io.IOException e) {
      if (required) {
        throw new AssertionError("CACHET_REQUIRE_REDIS=1 but no Redis on 127.0.0.1:6379");
      }
      Assumptions.abort("no Redis on 127.0.0.1:6379");
    }
    return "redis://127.0.0.1:6379?prefix=readme-tour-" + ProcessHandle.current().pid();
  }

  @Test
  void tiersFleetsAndLlmCalls() {
    Path cacheDir = tmp.resolve(".cachet");
    String redisUri = redisUri();
    // --- README tiers tour starts here
    Cachet cachet = Cachet.builder()
        .expireAfterWrite(Duration.ofMinutes(10))                  // memory
        .tier(DiskTier.in(cacheDir)                                // survives restarts
            .expireAfterWrite(Duration.ofDays(7)).maximumBytes(1L << 30))
        .tier(RedisTier.at(redisUri))                              // shared by the fleet
        .build();

    MemoizedFunction<String, Integer> price = cachet.function("price")
        .tags("catalog")
        .fleetSingleFlight(Duration.ofSeconds(30))     // one computation for the whole fleet
        .staleWhileRevalidate(Duration.ofMinutes(1))   // serve stale while one call refreshes
        .memoize(ReadmeTiersTourTest::fetchPrice);
    price.apply("tea");
    System.out.println(price.stats().hitsByTier());    // {memory=0, disk:..., redis://...}

    cachet.invalidateTag("catalog", "prices changed"); // every process drops them
    cachet.recentInvalidations(10)                     // who, what, when and why
        .forEach(System.out::println);

    // LLM calls: exact and semantic, per tenant
    LlmCache llm = LlmCache.builder(cachet).semantic().build(); // model: cachet-llm-semantic
    LlmRequest question = LlmRequest.builder("gpt-4o-mini")
        .user("What is the capital of France?").temperature(0.0).build();
    LlmResult answer = llm.chat(question, CallOptions.tenant("acme"),
        ReadmeTiersTourTest::callTheModel);
    LlmResult again = llm.chat(LlmRequest.builder("gpt-4o-mini")
        .user("Tell me the capital city of France").temperature(0.0).build(),
        CallOptions.tenant("acme"), ReadmeTiersTourTest::callTheModel);
    System.out.println(again.lookup().outcome() + " " + again.lookup().similarity());
    // SEMANTIC_HIT 0.9...
    // --- README tiers tour ends here

    try {
      assertThat(answer.response().content()).isEqualTo("Paris");
      assertThat(again.lookup().outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
      assertThat(LLM_CALLS).hasValue(1);
      assertThat(PRICE_CALLS).hasValue(1);
      assertThat(price.stats().hitsByTier()).containsKey("memory");
      assertThat(cachet.recentInvalidations(10)).isNotEmpty();
    } finally {
      cachet.invalidateAll();
      cachet.close();
    }
  }
}
