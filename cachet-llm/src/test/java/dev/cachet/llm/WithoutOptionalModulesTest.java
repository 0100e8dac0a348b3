package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.SemanticProviders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The point of the module split: cachet-llm's class path (compile and runtime, which is what
 * its tests run on) holds no ONNX Runtime, Lucene, Jetty or LangChain4j, and the exact cache
 * and a semantic cache with the caller's embedder work without them, while the bundled model
 * fails with a message that names the artifact to add.
 */
class WithoutOptionalModulesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "ai.onnxruntime.OrtEnvironment",
      "org.apache.lucene.util.VectorUtil",
      "org.eclipse.jetty.server.Server",
      "dev.langchain4j.model.chat.ChatModel",
      "dev.langchain4j.model.embedding.EmbeddingModel",
      "dev.cachet.llm.semantic.bundled.Embedders",
      "dev.cachet.llm.proxy.CachingProxy",
      "dev.cachet.llm.langchain4j.CachingChatModel"})
  void heavyDependenciesAndTheOptionalModulesAreNotOnTheClassPath(String className) {
    assertThatThrownBy(() -> Class.forName(className, false, getClass().getClassLoader()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void noSemanticProviderIsInstalled() {
    assertThat(SemanticProviders.installed()).isEmpty();
  }

  @Test
  void theBundledModelWithoutItsModuleSaysWhichArtifactToAdd() {
    try (Cachet cachet = Cachet.create()) {
      LlmCache.Builder builder = LlmCache.builder(cachet);
      assertThatThrownBy(builder::semantic)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("LlmCache.Builder.semantic()")
          .hasMessageContaining("dev.cachet:cachet-llm-semantic")
          .hasMessageContaining("semantic(Embedder)");
    }
  }

  @Test
  void exactAndOwnEmbedderSemanticCachingWorkWithoutThem() {
    try (Cachet cachet = Cachet.create()) {
      LlmCache exact = LlmCache.builder(cachet).name("exact").build();
      LlmRequest q = LlmRequest.builder("m").user("What is 2 + 2?").temperature(0.0).build();
      exact.chat(q, r -> LlmResponse.text("4"));
      assertThat(exact.lookup(q).outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);

      LlmCache semantic = LlmCache.builder(cachet).name("own").semantic(new LetterEmbedder())
          .similarityThreshold(0.99).annThreshold(0).build();
      semantic.chat(q, r -> LlmResponse.text("4"));
      LlmRequest same = LlmRequest.builder("m").user("what is 2 + 2 ?").temperature(0.0)
          .build();
      assertThat(semantic.lookup(same).outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
    }
  }

  /** Letter counts: equal for texts that differ only in case, spaces and punctuation. */
  private static final class LetterEmbedder implements Embedder {
    @Override
    public String id() {
      return "letters-test-1";
    }

    @Override
    public int dimension() {
      return 36;
    }

    @Override
    public float[] embed(String text) {
      float[] v = new float[36];
      for (char c : text.toLowerCase().toCharArray()) {
        if (c >= 'a' && c <= 'z') {
          v[c - 'a']++;
        } else if (c >= '0' && c <= '9') {
          v[26 + c - '0']++;
        }
      }
      return dev.cachet.llm.semantic.Vectors.normalize(v);
    }
  }
}
