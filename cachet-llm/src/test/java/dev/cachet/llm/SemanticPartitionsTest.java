package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every conversation prefix is a semantic partition: a service with many conversations must
 * not keep one in memory for each forever, and a partition that left memory still answers from
 * the tiers.
 */
class SemanticPartitionsTest {
  private static final WordHashEmbedder WORDS = new WordHashEmbedder("words-test-1", 64);

  private final Function<LlmRequest, LlmResponse> upstream =
      r -> LlmResponse.text("answer to " + r.lastUserText());

  private static LlmRequest turn(int conversation, String prompt) {
    return LlmRequest.builder("m").system("Conversation " + conversation).user(prompt)
        .temperature(0.0).build();
  }

  @Test
  void partitionsInMemoryStayWithinTheBoundAndALeftOneIsRebuiltFromTheTiers(
      @TempDir Path dir) {
    try (Cachet cachet = Cachet.builder().disk(dir).build()) {
      LlmCache llm = LlmCache.builder(cachet).semantic(WORDS)
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

  /** A shared tier whose listing takes seconds, as a scan of a large Redis can. */
  private static final class SlowListingStore implements Store {
    private final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String describe() {
      return "slow-listing";
    }

    @Override
    public byte[] get(String namespace, String digest) {
      return entries.get(namespace + "\n" + digest);
    }

    @Override
    public void put(String namespace, String digest, byte[] frame, long expiresAtMillis,
        List<String> tags) {
      entries.put(namespace + "\n" + digest, frame);
    }

    @Override
    public boolean remove(String namespace, String digest) {
      return entries.remove(namespace + "\n" + digest) != null;
    }

    @Override
    public long removeNamespace(String namespace) {
      return 0;
    }

    @Override
    public long removeTag(String tag) {
      return 0;
    }

    @Override
    public void clear() {
      entries.clear();
    }

    @Override
    public List<String> digests(String namespace, int limit) {
      try {
        release.await(30, TimeUnit.SECONDS); // held until the test has seen the lookup return
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return entries.keySet().stream().filter(k -> k.startsWith(namespace + "\n"))
          .map(k -> k.substring(namespace.length() + 1)).limit(limit).toList();
    }

    @Override
    public StoreStats stats() {
      return new StoreStats(entries.size(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
    }
  }

  @Test
  void aSlowTierDoesNotHoldAPartitionsFirstLookupPastTheWait() throws Exception {
    SlowListingStore shared = new SlowListingStore();
    try (Cachet writer = Cachet.builder().store(shared).build();
        Cachet reader = Cachet.builder().store(shared).build()) {
      LlmCache stored = LlmCache.builder(writer).semantic(WORDS).build();
      stored.chat(turn(1, "how do I sort a list of numbers"), upstream);

      LlmCache fresh = LlmCache.builder(reader).semantic(WORDS)
          .semanticFirstReadWait(Duration.ofMillis(100)).build();
      Lookup first = fresh.lookup(turn(1, "how do I sort a list of numbers please"));
      // The tier's listing is still held: the lookup went on with what this process had.
      assertThat(shared.release.getCount()).isEqualTo(1);
      assertThat(first.outcome()).isEqualTo(Lookup.Outcome.MISS);

      shared.release.countDown();
      Lookup later = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        later = fresh.lookup(turn(1, "please how do I sort a list of numbers"));
        if (later.outcome() == Lookup.Outcome.SEMANTIC_HIT) {
          break;
        }
        Thread.sleep(20);
      }
      assertThat(later.outcome()).as("found once the background read finished")
          .isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
    }
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> LlmCache.builder(Cachet.create()).semanticPartitions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("semanticPartitions must be positive");
  }
}
