package dev.cachet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.LlmResult;
import dev.cachet.llm.Lookup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The LLM cache's meters after real exact and semantic hits with the bundled local model. */
class LlmCacheMetricsTest {
  private final AtomicInteger calls = new AtomicInteger();
  private final Function<LlmRequest, LlmResponse> model = r -> {
    calls.incrementAndGet();
    return LlmResponse.text("answer to " + r.lastUserText());
  };

  private static LlmRequest ask(String prompt) {
    return LlmRequest.builder("gpt-4o-mini").system("Be terse.").user(prompt).temperature(0.0)
        .build();
  }

  @Test
  void exactAndSemanticHitsMissesAndStoresAreCounted() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Meters meters = new Meters(registry);
    try (Cachet cachet = Cachet.create()) {
      LlmCache llm = LlmCache.builder(cachet).semantic().build();
      LlmCacheMetrics.monitor(registry, llm, "answers", "app", "shop");

      llm.chat(ask("How do I reverse a list in Python?"), model);                 // miss
      LlmResult exact = llm.chat(ask("How do I reverse a list in Python?"), model);
      LlmResult semantic = llm.chat(ask("What's the way to reverse a Python list?"), model);
      llm.chat(ask("What is the capital of France?"), model);                      // miss
      LlmResult sampled = llm.chat(LlmRequest.builder("gpt-4o-mini").system("Be terse.")
          .user("What is the capital of France?").temperature(0.9).build(), model);

      assertThat(exact.lookup().outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
      assertThat(semantic.lookup().outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
      // Sampled without a seed: never served from the cache, but its answer is stored.
      assertThat(sampled.lookup().outcome()).isEqualTo(Lookup.Outcome.BYPASSED);
      assertThat(calls).hasValue(3);
      String[] tags = {"cache", "answers", "app", "shop"};
      assertThat(meters.counter("cachet.llm.lookups",
          CachetCacheMetricsTest.with(tags, "result", "exact-hit"))).isEqualTo(1);
      assertThat(meters.counter("cachet.llm.lookups",
          CachetCacheMetricsTest.with(tags, "result", "semantic-hit"))).isEqualTo(1);
      assertThat(meters.counter("cachet.llm.lookups",
          CachetCacheMetricsTest.with(tags, "result", "miss"))).isEqualTo(2);
      assertThat(meters.counter("cachet.llm.lookups",
          CachetCacheMetricsTest.with(tags, "result", "bypassed"))).isEqualTo(1);
      assertThat(meters.counter("cachet.llm.stores",
          CachetCacheMetricsTest.with(tags, "result", "stored"))).isEqualTo(3);
      assertThat(meters.counter("cachet.llm.stores",
          CachetCacheMetricsTest.with(tags, "result", "refused"))).isZero();
      assertThat(meters.counter("cachet.llm.guard.rejections", tags)).isZero();
      assertThat(meters.counter("cachet.llm.verifier.rejections", tags)).isZero();
      // One per stored answer's prompt (the sampled request is a partition of its own).
      assertThat(meters.gauge("cachet.llm.semantic.entries", tags)).isEqualTo(3);
    }
  }
}
