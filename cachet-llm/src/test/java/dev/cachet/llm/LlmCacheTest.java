package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The exact cache and its policy (no embedding model involved). */
class LlmCacheTest {
  private final Cachet cachet = Cachet.create();
  private final LlmCache llm = LlmCache.builder(cachet).build();
  private final AtomicInteger calls = new AtomicInteger();
  private final Function<LlmRequest, LlmResponse> upstream = r -> {
    calls.incrementAndGet();
    return LlmResponse.text("answer " + calls.get() + " to " + r.lastUserText());
  };

  private static LlmRequest ask(String prompt) {
    return LlmRequest.builder("m").system("Be terse.").user(prompt).temperature(0.0).build();
  }

  @Test
  void secondIdenticalRequestIsAnExactHit() {
    LlmResult first = llm.chat(ask("What is 2+3?"), upstream);
    LlmResult second = llm.chat(ask("What is 2+3?"), upstream);
    assertThat(first.lookup().outcome()).isEqualTo(Lookup.Outcome.MISS);
    assertThat(first.stored()).isTrue();
    assertThat(second.lookup().outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
    assertThat(second.lookup().matchedPrompt()).isEqualTo("What is 2+3?");
    assertThat(second.lookup().similarity()).isEqualTo(1.0);
    assertThat(second.response()).isEqualTo(first.response());
    assertThat(calls).hasValue(1);
    assertThat(llm.stats().exactHits()).isEqualTo(1);
    assertThat(llm.stats().misses()).isEqualTo(1);
  }

  @Test
  void aDifferentSystemPromptIsADifferentKey() {
    llm.chat(ask("Hi"), upstream);
    LlmRequest other = LlmRequest.builder("m").system("Be verbose.").user("Hi")
        .temperature(0.0).build();
    assertThat(llm.chat(other, upstream).lookup().isHit()).isFalse();
    assertThat(calls).hasValue(2);
  }

  @Test
  void noTenantEverReceivesAnotherTenantsAnswer() {
    llm.chat(ask("Secret plan?"), CallOptions.tenant("acme"), upstream);
    LlmResult other = llm.chat(ask("Secret plan?"), CallOptions.tenant("globex"), upstream);
    assertThat(other.lookup().isHit()).isFalse();
    assertThat(other.response().content()).isEqualTo("answer 2 to Secret plan?");
    assertThat(llm.lookup(ask("Secret plan?"), CallOptions.tenant("acme")).response().content())
        .isEqualTo("answer 1 to Secret plan?");
  }

  @Test
  void sampledRequestsAreNotServedUnlessASeedOrTheCallAllowsIt() {
    LlmRequest hot = LlmRequest.builder("m").user("Write a poem").temperature(0.9).build();
    llm.chat(hot, upstream);
    LlmResult again = llm.chat(hot, upstream);
    assertThat(again.lookup().outcome()).isEqualTo(Lookup.Outcome.BYPASSED);
    assertThat(again.lookup().detail()).contains("temperature 0.9");
    assertThat(calls).hasValue(2);

    assertThat(llm.chat(hot, CallOptions.defaults().serveSampled(true), upstream)
        .lookup().isHit()).isTrue();

    LlmRequest seeded = hot.toBuilder().seed(42L).build();
    llm.chat(seeded, upstream);
    assertThat(llm.chat(seeded, upstream).lookup().isHit()).isTrue();

    LlmRequest unspecified = LlmRequest.builder("m").user("Write a haiku").build();
    llm.chat(unspecified, upstream);
    assertThat(llm.chat(unspecified, upstream).lookup().outcome())
        .as("no temperature means the provider's default, 1.0").isEqualTo(Lookup.Outcome.BYPASSED);
    LlmCache deterministic = LlmCache.builder(cachet).name("det").assumedTemperature(0).build();
    deterministic.chat(unspecified, upstream);
    assertThat(deterministic.chat(unspecified, upstream).lookup().isHit()).isTrue();
  }

  @Test
  void upstreamErrorsAreNotStored() {
    Function<LlmRequest, LlmResponse> failing = r -> {
      calls.incrementAndGet();
      throw new IllegalStateException("HTTP 500");
    };
    assertThatThrownBy(() -> llm.chat(ask("Q"), failing)).hasMessage("HTTP 500");
    assertThat(llm.lookup(ask("Q")).isHit()).isFalse();
  }

  @Test
  void incompleteTruncatedFilteredOrEmptyAnswersAreNotStored() {
    List<LlmResponse> bad = List.of(
        new LlmResponse(null, null, "partial", List.of(), null, null),
        new LlmResponse(null, null, "cut", List.of(), FinishReason.LENGTH, null),
        new LlmResponse(null, null, "", List.of(), FinishReason.CONTENT_FILTER, null),
        new LlmResponse(null, null, "", List.of(), FinishReason.STOP, null));
    for (LlmResponse response : bad) {
      StoreOutcome outcome = llm.put(ask("Q"), response);
      assertThat(outcome.stored()).isFalse();
      assertThat(outcome.reason()).isNotBlank();
      assertThat(llm.lookup(ask("Q")).isHit()).isFalse();
    }
    assertThat(llm.stats().storeRefusals()).isEqualTo(4);
    LlmCache lenient = LlmCache.builder(cachet).name("lenient").storeTruncated(true).build();
    assertThat(lenient.put(ask("Q"), bad.get(1)).stored()).isTrue();
  }

  @Test
  void aWrongEntryCanBeOverwrittenRefreshedOrDeleted() {
    llm.chat(ask("Capital of Australia?"), upstream);
    llm.put(ask("Capital of Australia?"), LlmResponse.text("Canberra"));
    assertThat(llm.lookup(ask("Capital of Australia?")).response().content())
        .isEqualTo("Canberra");

    LlmResult refreshed = llm.chat(ask("Capital of Australia?"), CallOptions.defaults().refresh(),
        upstream);
    assertThat(refreshed.lookup().outcome()).isEqualTo(Lookup.Outcome.BYPASSED);
    assertThat(llm.lookup(ask("Capital of Australia?")).response().content())
        .isEqualTo("answer 2 to Capital of Australia?");

    Lookup hit = llm.lookup(ask("Capital of Australia?"));
    assertThat(llm.invalidate(hit.entryId())).isTrue();
    assertThat(llm.lookup(ask("Capital of Australia?")).isHit()).isFalse();
    llm.chat(ask("Capital of Australia?"), upstream);
    assertThat(llm.invalidate(ask("Capital of Australia?"))).isTrue();
    assertThat(llm.lookup(ask("Capital of Australia?")).isHit()).isFalse();
  }

  @Test
  void hugePromptsAreRefusedAndNothingIsStored() {
    LlmCache small = LlmCache.builder(cachet).name("small").maxPromptChars(1000).build();
    LlmRequest huge = ask("x".repeat(5000));
    assertThatThrownBy(() -> small.chat(huge, upstream))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).reason())
            .isEqualTo(InvalidRequestException.Reason.TOO_LARGE));
    assertThat(calls).hasValue(0);
  }

  @Test
  void toolCallAnswersAreCachedWithTheirCalls() {
    LlmRequest request = LlmRequest.builder("m").user("Add 2 and 3").temperature(0.0)
        .tool("add", "adds", "{\"type\":\"object\"}").toolChoice("required").build();
    LlmResponse calling = new LlmResponse("r1", "m", null,
        List.of(new ToolCall("call_1", "add", "{\"a\":2,\"b\":3}")), FinishReason.TOOL_CALLS,
        Usage.of(5, 5));
    assertThat(llm.put(request, calling).stored()).isTrue();
    assertThat(llm.lookup(request).response()).isEqualTo(calling);
    LlmRequest noChoice = request.toBuilder().toolChoice((String) null).build();
    assertThat(llm.lookup(noChoice).isHit()).isFalse();
  }

  @Test
  void concurrentIdenticalMissesMakeOneUpstreamCall() throws Exception {
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Function<LlmRequest, LlmResponse> slow = r -> {
      calls.incrementAndGet();
      inside.countDown();
      try {
        release.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return LlmResponse.text("slow answer");
    };
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(() -> llm.chat(ask("Q"), slow));
      assertThat(inside.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      var second = pool.submit(() -> llm.chat(ask("Q"), slow));
      // The second caller is either waiting on the first call or (if it started after the
      // first finished) served from the cache; in neither case does it call the upstream.
      release.countDown();
      assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).response().content())
          .isEqualTo("slow answer");
      LlmResult shared = second.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(shared.response().content()).isEqualTo("slow answer");
      assertThat(shared.lookup().outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
      assertThat(calls).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
