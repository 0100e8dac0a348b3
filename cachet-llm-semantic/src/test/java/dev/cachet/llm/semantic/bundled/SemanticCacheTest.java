package dev.cachet.llm.semantic.bundled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.disk.DiskStore;
import dev.cachet.llm.CallOptions;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.LlmResult;
import dev.cachet.llm.Lookup;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.PairFeatures;
import dev.cachet.llm.semantic.SemanticGuard;
import dev.cachet.llm.semantic.Verifier;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreStats;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The semantic layer with the bundled model. */
class SemanticCacheTest {
  private final AtomicInteger calls = new AtomicInteger();
  private final Function<LlmRequest, LlmResponse> upstream = r -> {
    calls.incrementAndGet();
    return LlmResponse.text("answer to " + r.lastUserText());
  };

  private static LlmRequest ask(String system, String prompt) {
    return LlmRequest.builder("m").system(system).user(prompt).temperature(0.0).build();
  }

  @Test
  void aParaphraseIsASemanticHitThatSaysHowItWasFound() {
    LlmCache llm = LlmCache.builder(Cachet.create()).semantic().build();
    llm.chat(ask("Be terse.", "How do I reverse a list in Python?"), upstream);
    LlmResult r = llm.chat(ask("Be terse.", "What's the way to reverse a Python list?"),
        upstream);
    assertThat(r.lookup().outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
    assertThat(r.lookup().matchedPrompt()).isEqualTo("How do I reverse a list in Python?");
    assertThat(r.lookup().similarity()).isBetween(LlmCache.DEFAULT_SIMILARITY_THRESHOLD, 1.0);
    assertThat(r.response().content()).isEqualTo("answer to How do I reverse a list in Python?");
    assertThat(calls).hasValue(1);
    assertThat(llm.stats().semanticHits()).isEqualTo(1);
  }

  @Test
  void theBundledModelComesWithTheBundledVerifierAndItsCandidateFloor() {
    LlmCache llm = LlmCache.builder(Cachet.create()).semantic().build();
    assertThat(llm.verifier()).isNotNull();
    assertThat(llm.verifier().model()).isEqualTo(Embedders.ALL_MINILM_L6_V2_Q);
    assertThat(llm.similarityThreshold()).isEqualTo(Verifier.DEFAULT_CANDIDATE_SIMILARITY);
    LlmCache plain = LlmCache.builder(Cachet.create()).semantic().noVerifier().build();
    assertThat(plain.verifier()).isNull();
    assertThat(plain.similarityThreshold()).isEqualTo(LlmCache.DEFAULT_SIMILARITY_THRESHOLD);
  }

  @Test
  void aVerifierForAnotherModelIsRefusedWithTheReason() {
    Embedder other = Embedders.of(new dev.langchain4j.model.embedding.onnx.bgesmallenv15q
        .BgeSmallEnV15QuantizedEmbeddingModel(), "bge-small-en-v1.5-q");
    assertThatThrownBy(() -> LlmCache.builder(Cachet.create()).semantic(other)
        .verifier(Verifier.bundled()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all-minilm-l6-v2-q").hasMessageContaining("bge-small-en-v1.5-q")
        .hasMessageContaining("noVerifier()");
    assertThat(LlmCache.builder(Cachet.create()).semantic(other).build().verifier()).isNull();
  }

  /**
   * A held-out pair of the public medical question set, labelled different by doctors, that
   * similarity and guard alone would serve: the verifier turns it into a miss, and says so.
   */
  @Test
  void theVerifierTurnsAWrongHitOfSimilarityAndGuardIntoACountedMiss() {
    Verifier verifier = Verifier.bundled();
    SemanticGuard guard = new SemanticGuard();
    Embedder model = Embedders.allMiniLmL6V2();
    PublicPairs.Pair wrong = PublicPairs.load("mqp").stream()
        .filter(p -> !p.train() && !p.same() && guard.check(p.a(), p.b()).accepted())
        .filter(p -> {
          double c = dev.cachet.llm.semantic.Vectors.dot(model.embed(p.a()), model.embed(p.b()));
          return c >= LlmCache.DEFAULT_SIMILARITY_THRESHOLD
              && !verifier.accepts(PairFeatures.of(p.a(), p.b(), c, guard.check(p.a(), p.b()),
                  model.tokenVectors(p.a()), model.tokenVectors(p.b())));
        })
        .findFirst().orElseThrow();
    LlmCache plain = LlmCache.builder(Cachet.create()).semantic().noVerifier().build();
    plain.chat(ask("s", wrong.b()), upstream);
    assertThat(plain.lookup(ask("s", wrong.a())).outcome())
        .as("similarity and guard alone serve it").isEqualTo(Lookup.Outcome.SEMANTIC_HIT);

    LlmCache verified = LlmCache.builder(Cachet.create()).semantic().build();
    verified.chat(ask("s", wrong.b()), upstream);
    Lookup miss = verified.lookup(ask("s", wrong.a()));
    assertThat(miss.outcome()).isEqualTo(Lookup.Outcome.MISS);
    assertThat(miss.detail()).startsWith("verifier rejected the nearest stored prompt")
        .doesNotContain(wrong.b());
    assertThat(verified.stats().verifierRejections()).isEqualTo(1);
  }

  @Test
  void nearMatchesWithOtherNumbersOrEntitiesAreMisses() {
    LlmCache llm = LlmCache.builder(Cachet.create()).semantic().build();
    llm.chat(ask("Be terse.", "What is 2+3?"), upstream);
    llm.chat(ask("Be terse.", "What is the function of TV?"), upstream);
    LlmResult numbers = llm.chat(ask("Be terse.", "What is 2+4?"), upstream);
    assertThat(numbers.lookup().outcome()).isEqualTo(Lookup.Outcome.MISS);
    assertThat(numbers.response().content()).isEqualTo("answer to What is 2+4?");
    LlmResult entity = llm.chat(ask("Be terse.", "What is the function of money?"), upstream);
    assertThat(entity.lookup().outcome()).isEqualTo(Lookup.Outcome.MISS);
    assertThat(calls).hasValue(4);
  }

  @Test
  void theRestOfTheRequestIsAHardPartition() {
    LlmCache llm = LlmCache.builder(Cachet.create()).semantic().build();
    llm.chat(ask("Be terse.", "How do I reverse a list in Python?"), upstream);
    LlmResult otherSystem = llm.chat(ask("Answer in French.",
        "What's the way to reverse a Python list?"), upstream);
    assertThat(otherSystem.lookup().isHit()).isFalse();
    LlmResult otherTenant = llm.chat(ask("Be terse.", "What's the way to reverse a Python list?"),
        CallOptions.tenant("other"), upstream);
    assertThat(otherTenant.lookup().isHit()).isFalse();
    LlmRequest otherModel = LlmRequest.builder("m2").system("Be terse.")
        .user("What's the way to reverse a Python list?").temperature(0.0).build();
    assertThat(llm.chat(otherModel, upstream).lookup().isHit()).isFalse();
    assertThat(calls).hasValue(4);
  }

  @Test
  void longPromptsAreMatchedExactlyOnly() {
    LlmCache llm = LlmCache.builder(Cachet.create()).semantic().semanticMaxPromptChars(40)
        .build();
    String longPrompt = "How do I reverse a list in Python without changing the original one?";
    llm.chat(ask("s", longPrompt), upstream);
    Lookup similar = llm.lookup(ask("s", longPrompt.replace("How do I", "How can I")));
    assertThat(similar.outcome()).isEqualTo(Lookup.Outcome.MISS);
    assertThat(similar.detail()).contains("at most 40 characters");
    assertThat(llm.lookup(ask("s", longPrompt)).outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
    assertThat(llm.stats().semanticEntries()).isZero();
  }

  @Test
  void aWrongSemanticMatchCanBeDeleted() {
    LlmCache llm = LlmCache.builder(Cachet.create()).semantic().build();
    llm.chat(ask("s", "How do I reverse a list in Python?"), upstream);
    Lookup hit = llm.lookup(ask("s", "What's the way to reverse a Python list?"));
    assertThat(hit.outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
    assertThat(llm.invalidate(hit.entryId())).isTrue();
    assertThat(llm.lookup(ask("s", "What's the way to reverse a Python list?")).isHit())
        .isFalse();
    assertThat(llm.lookup(ask("s", "How do I reverse a list in Python?")).isHit()).isFalse();
  }

  @Test
  void semanticEntriesPersistAcrossInstancesSharingADiskStore(@TempDir Path dir) {
    try (Cachet first = Cachet.builder().disk(dir).build()) {
      LlmCache llm = LlmCache.builder(first).semantic().build();
      llm.chat(ask("Be terse.", "How do I reverse a list in Python?"), upstream);
    }
    try (Cachet second = Cachet.builder().disk(dir).build()) {
      LlmCache llm = LlmCache.builder(second).semantic().build();
      LlmResult exact = llm.chat(ask("Be terse.", "How do I reverse a list in Python?"),
          upstream);
      assertThat(exact.lookup().outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
      LlmResult semantic = llm.chat(ask("Be terse.", "What's the way to reverse a Python list?"),
          upstream);
      assertThat(semantic.lookup().outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
      assertThat(semantic.lookup().matchedPrompt()).isEqualTo(
          "How do I reverse a list in Python?");
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void aStoreThatCannotListStillServesExactHitsAcrossInstances(@TempDir Path dir) {
    try (Cachet first = Cachet.builder().store(DiskStore.open(dir)).build()) {
      LlmCache.builder(first).semantic().build().chat(ask("s", "What is the capital of France?"),
          upstream);
    }
    try (Cachet second = Cachet.builder().store(new NoListing(DiskStore.open(dir))).build()) {
      LlmCache llm = LlmCache.builder(second).semantic().build();
      assertThat(llm.lookup(ask("s", "What is the capital of France?")).outcome())
          .isEqualTo(Lookup.Outcome.EXACT_HIT);
      assertThat(llm.lookup(ask("s", "Which city is the capital of France?")).isHit()).isFalse();
    }
  }

  /** A disk store seen through the Store interface only. */
  static class Delegating implements Store {
    final DiskStore disk;

    Delegating(DiskStore disk) {
      this.disk = disk;
    }

    @Override
    public List<String> digests(String namespace, int limit) {
      return disk.digests(namespace, limit);
    }

    @Override
    public String describe() {
      return disk.describe();
    }

    @Override
    public byte[] get(String namespace, String digest) {
      return disk.get(namespace, digest);
    }

    @Override
    public void put(String namespace, String digest, byte[] frame, long expiresAtMillis,
        List<String> tags) {
      disk.put(namespace, digest, frame, expiresAtMillis, tags);
    }

    @Override
    public boolean remove(String namespace, String digest) {
      return disk.remove(namespace, digest);
    }

    @Override
    public long removeNamespace(String namespace) {
      return disk.removeNamespace(namespace);
    }

    @Override
    public long removeTag(String tag) {
      return disk.removeTag(tag);
    }

    @Override
    public void clear() {
      disk.clear();
    }

    @Override
    public StoreStats stats() {
      return disk.stats();
    }

    @Override
    public void close() {
      disk.close();
    }
  }

  /** A store that cannot list its entries. */
  static final class NoListing extends Delegating {
    NoListing(DiskStore disk) {
      super(disk);
    }

    @Override
    public List<String> digests(String namespace, int limit) {
      throw new UnsupportedOperationException("cannot list");
    }
  }
}
