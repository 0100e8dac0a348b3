package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What each per-call option does to one call, seen through {@link LlmCache}'s public API:
 * {@code noStore} keeps the answer out of the cache, {@code semantic(false)} limits the call to
 * exact matches, tenants must be named, and each option leaves the others as they were
 * (docs/TESTING.md: written for mutation testing of {@link CallOptions}).
 */
class CallOptionsTest {
  private static final WordHashEmbedder WORDS = new WordHashEmbedder("call-options-words-1", 32);

  private final Cachet cachet = Cachet.create();
  private final AtomicInteger calls = new AtomicInteger();
  private final Function<LlmRequest, LlmResponse> upstream = r -> LlmResponse.text(
      "answer " + calls.incrementAndGet() + " to " + r.lastUserText());

  @AfterEach
  void close() {
    cachet.close();
  }

  private static LlmRequest ask(String prompt) {
    return LlmRequest.builder("m").user(prompt).temperature(0.0).build();
  }

  @Test
  void noStoreAnswersTheCallButKeepsTheAnswerOutOfTheCache() {
    LlmCache llm = LlmCache.builder(cachet).build();
    CallOptions noStore = CallOptions.defaults().noStore();
    assertThat(noStore.storesAnswers()).isFalse();
    assertThat(CallOptions.defaults().storesAnswers()).isTrue();

    LlmResult first = llm.chat(ask("Capital of Peru?"), noStore, upstream);
    assertThat(first.response().content()).isEqualTo("answer 1 to Capital of Peru?");
    assertThat(first.stored()).isFalse();
    assertThat(llm.lookup(ask("Capital of Peru?")).isHit()).isFalse();

    LlmResult second = llm.chat(ask("Capital of Peru?"), upstream);
    assertThat(second.lookup().isHit()).isFalse();
    assertThat(second.stored()).isTrue();
    assertThat(calls).hasValue(2);
  }

  @Test
  void noStoreStillServesAnAnswerStoredBefore() {
    LlmCache llm = LlmCache.builder(cachet).build();
    llm.chat(ask("Capital of Chile?"), upstream);
    LlmResult again = llm.chat(ask("Capital of Chile?"), CallOptions.defaults().noStore(),
        upstream);
    assertThat(again.lookup().outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
    assertThat(again.response().content()).isEqualTo("answer 1 to Capital of Chile?");
    assertThat(calls).hasValue(1);
  }

  @Test
  void semanticFalseLimitsOneCallToExactMatches() {
    LlmCache llm = LlmCache.builder(cachet).semantic(WORDS).build();
    llm.chat(ask("what is the capital of france"), upstream);

    Lookup exactOnly = llm.lookup(ask("What is the capital of France?"),
        CallOptions.defaults().semantic(false));
    assertThat(exactOnly.outcome()).isEqualTo(Lookup.Outcome.MISS);

    Lookup semantic = llm.lookup(ask("What is the capital of France?"),
        CallOptions.defaults().semantic(true));
    assertThat(semantic.outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
    assertThat(semantic.response().content())
        .isEqualTo("answer 1 to what is the capital of france");
  }

  @Test
  void aTenantMustBeNamed() {
    assertThatThrownBy(() -> CallOptions.tenant("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> CallOptions.defaults().withTenant(null))
        .isInstanceOf(NullPointerException.class);
    assertThat(CallOptions.defaults().tenantId()).isEqualTo(CallOptions.DEFAULT_TENANT);
    assertThat(CallOptions.tenant("acme").tenantId()).isEqualTo("acme");
  }

  @Test
  void eachOptionKeepsTheOthers() {
    CallOptions all = CallOptions.tenant("acme").serveSampled(true).semantic(false).refresh()
        .noStore();
    assertThat(all.tenantId()).isEqualTo("acme");
    assertThat(all.serveSampledOverride()).isTrue();
    assertThat(all.semanticOverride()).isFalse();
    assertThat(all.read()).isFalse();
    assertThat(all.write()).isFalse();
    assertThat(all.storesAnswers()).isFalse();

    CallOptions moved = all.withTenant("globex");
    assertThat(moved.tenantId()).isEqualTo("globex");
    assertThat(moved.serveSampledOverride()).isTrue();
    assertThat(moved.semanticOverride()).isFalse();
    assertThat(moved.read()).isFalse();
    assertThat(moved.write()).isFalse();

    CallOptions defaults = CallOptions.defaults();
    assertThat(defaults.serveSampledOverride()).isNull();
    assertThat(defaults.semanticOverride()).isNull();
    assertThat(defaults.read()).isTrue();
    assertThat(defaults.write()).isTrue();
    assertThat(CallOptions.defaults().semantic(true).semanticOverride()).isTrue();
    assertThat(CallOptions.defaults().serveSampled(false).serveSampledOverride()).isFalse();
  }

  @Test
  void optionsDescribeThemselvesForLogs() {
    assertThat(CallOptions.tenant("acme").noStore().semantic(false).toString())
        .contains("tenant=acme", "semantic=false", "read=true", "write=false");
  }
}
