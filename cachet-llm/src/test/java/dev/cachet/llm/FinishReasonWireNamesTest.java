package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How a provider's finish reason is read decides whether an answer is stored: only complete
 * answers are. A missing reason means the answer did not finish; an unknown one must never
 * break answering (it becomes OTHER, which is not stored). Written for PIT's survivors in
 * {@link FinishReason#fromWireName} (docs/TESTING.md).
 */
class FinishReasonWireNamesTest {

  @Test
  void knownNamesInAnyCaseAndTheLegacyFunctionCall() {
    assertThat(FinishReason.fromWireName("stop")).isEqualTo(FinishReason.STOP);
    assertThat(FinishReason.fromWireName("STOP")).isEqualTo(FinishReason.STOP);
    assertThat(FinishReason.fromWireName("length")).isEqualTo(FinishReason.LENGTH);
    assertThat(FinishReason.fromWireName("tool_calls")).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(FinishReason.fromWireName("function_call")).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(FinishReason.fromWireName("content_filter"))
        .isEqualTo(FinishReason.CONTENT_FILTER);
  }

  @Test
  void aMissingReasonIsNullAndAnUnknownOneIsOther() {
    assertThat(FinishReason.fromWireName(null)).isNull();
    assertThat(FinishReason.fromWireName("paused_for_review")).isEqualTo(FinishReason.OTHER);
    assertThat(FinishReason.STOP.wireName()).isEqualTo("stop");
  }
}
