package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.llm.semantic.Verifier;
import org.junit.jupiter.api.Test;

/**
 * The verifier where it cannot work: an embedder that claims the bundled model's id but gives
 * no token vectors gets the bundled verifier, which then cannot judge; every candidate is a
 * miss that says why, never a hit nobody verified.
 */
class VerifierWiringTest {

  private static LlmRequest ask(String prompt) {
    return LlmRequest.builder("m").system("s").user(prompt).temperature(0.0).build();
  }

  @Test
  void withoutTokenVectorsEveryCandidateIsAMissThatSaysWhy() {
    WordHashEmbedder noTokens = new WordHashEmbedder(Verifier.bundled().model(), 256);
    LlmCache llm = LlmCache.builder(Cachet.create()).semantic(noTokens).build();
    assertThat(llm.verifier()).isNotNull();
    llm.chat(ask("how do I sort a list of numbers in python"), r -> LlmResponse.text("sorted"));

    Lookup near = llm.lookup(ask("how do I sort a list of numbers in python please"));

    assertThat(near.outcome()).isEqualTo(Lookup.Outcome.MISS);
    assertThat(near.detail()).startsWith("verifier rejected the nearest stored prompt")
        .contains("no token vectors to judge it by");
    assertThat(llm.stats().verifierRejections()).isEqualTo(1);
    LlmCache plain = LlmCache.builder(Cachet.create()).semantic(noTokens).noVerifier().build();
    plain.chat(ask("how do I sort a list of numbers in python"), r -> LlmResponse.text("sorted"));
    assertThat(plain.lookup(ask("how do I sort a list of numbers in python please")).outcome())
        .as("noVerifier() is the way out").isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
  }
}
