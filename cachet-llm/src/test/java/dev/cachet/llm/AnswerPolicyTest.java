package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import org.junit.jupiter.api.Test;

/** What a caller is told when the cache will not serve or store an answer. */
class AnswerPolicyTest {
  private final LlmCache llm = LlmCache.builder(Cachet.create()).build();

  @Test
  void aBypassSaysWhenTheTemperatureWasAssumedRatherThanAsked() {
    Lookup assumed = llm.lookup(LlmRequest.builder("m").user("Write a poem").build(),
        CallOptions.defaults());
    assertThat(assumed.outcome()).isEqualTo(Lookup.Outcome.BYPASSED);
    assertThat(assumed.detail()).contains("temperature 1.0 (assumed)", "without a seed",
        "serveSampled(true)");
    Lookup asked = llm.lookup(LlmRequest.builder("m").user("Write a poem").temperature(0.7)
        .build(), CallOptions.defaults());
    assertThat(asked.detail()).contains("temperature 0.7 > 0").doesNotContain("assumed");
  }

  @Test
  void noResponseIsRefusedForStoringAndSaysSo() {
    StoreOutcome outcome = llm.put(LlmRequest.builder("m").user("hi").temperature(0.0).build(),
        null);
    assertThat(outcome.stored()).isFalse();
    assertThat(outcome.reason()).isEqualTo("no response");
  }
}
