package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.llm.semantic.Embedder;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every conversation prefix is a semantic partition: a service with many conversations must
 * not keep one in memory for each forever, and a partition that left memory still answers from
 * the tiers.
 */
class SemanticPartitionsTest {
  private final Function<LlmRequest, LlmResponse> upstream =
      r -> LlmResponse.text("answer to " + r.lastUserText());

  /** Vectors from the words' hashes: cheap, and the same text always gives the same vector. */
  private static final class WordEmbedder implements Embedder {
    @Override
    public String id() {
      return "words-test-1";
    }

    @Override
    public int dimension() {
      return 64;
    }

    @Override
    public float[] embed(String text) {
      float[] v = new float[64];
      for (String word : text.toLowerCase().split("\\W+")) {
        v[Math.floorMod(word.hashCode(), 64)] += 1;
      }
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) Math.sqrt(Math.max(norm, 1e-9));
      }
      return v;
    }
  }

  private static LlmRequest turn(int conversation, String prompt) {
    return LlmRequest.builder("m").system("Conversation " + conversation).user(prompt)
        .temperature(0.0).build();
  }

  @Test
  void partitionsInMemoryStayWithinTheBoundAndALeftOneIsRebuiltFromTheTiers(
      @TempDir Path dir) {
    try (Cachet cachet = Cachet.builder().disk(dir).build()) {
      LlmCache llm = LlmCache.builder(cachet).semantic(new WordEmbedder())
          .semanticPartitions(50).build();
      for (int c = 0; c < 500; c++) {
        llm.chat(turn(c, "how do I sort a list of numbers"), upstream);
      }
      assertThat(llm.semanticPartitionCount()).isBetween(1L, 50L);

      // Conversation 0 left memory long ago; a paraphrase in it is still a semantic hit,
      // found through the tiers.
      LlmResult again = llm.chat(turn(0, "how do I sort a list of numbers please"), upstream);
      assertThat(again.lookup().outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
      assertThat(again.response().content()).isEqualTo(
          "answer to how do I sort a list of numbers");
    }
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> LlmCache.builder(Cachet.create()).semanticPartitions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("semanticPartitions must be positive");
  }
}
