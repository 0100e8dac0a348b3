package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The error-bounded mode wired into the cache: a partition serves no semantic hit until
 * labelled candidates show its hits would be right, learns from the fresh answers of the
 * queries it turned away, and stops again when users report wrong hits.
 */
class ErrorBoundTest {
  private static final WordHashEmbedder WORDS = new WordHashEmbedder("words-bound-1", 256);
  private static final String STORED =
      "how do I sort a list of numbers in python quickly and safely today";

  private static LlmRequest ask(String prompt) {
    return LlmRequest.builder("m").system("s").user(prompt).temperature(0.0).build();
  }

  /**
   * Extra words whose slots in the test embedder differ from each other and from the stored
   * prompt's, so no two prompts here share a vector (identical vectors always hit).
   */
  private static final List<String> EXTRA = new ArrayList<>();

  static {
    Set<Integer> used = new HashSet<>();
    for (String w : STORED.split(" ")) {
      used.add(Math.floorMod(w.toLowerCase(Locale.ROOT).hashCode(), 256));
    }
    for (int n = 0; EXTRA.size() < 240; n++) {
      StringBuilder word = new StringBuilder("extra");
      for (int k = n; k > 0; k /= 26) {
        word.append((char) ('a' + k % 26));
      }
      if (used.add(Math.floorMod(word.toString().hashCode(), 256))) {
        EXTRA.add(word.toString());
      }
    }
  }

  /**
   * The stored prompt with one extra word (letters only, which the guard does not weigh as it
   * weighs numbers): similar enough to be a candidate every time.
   */
  private static LlmRequest variant(int i) {
    return ask(STORED + " " + EXTRA.get(i));
  }

  private static LlmCache bounded(double rate) {
    return LlmCache.builder(Cachet.create()).semantic(WORDS).similarityThreshold(0.8)
        .errorBound(rate).build();
  }

  @Test
  void noSemanticHitUntilEnoughAgreeingLabelsThenHits() {
    LlmCache llm = bounded(0.05);
    Function<LlmRequest, LlmResponse> sameAnswer = r -> LlmResponse.text("use sorted()");
    llm.chat(ask(STORED), sameAnswer);

    Lookup first = llm.lookup(variant(0));
    assertThat(first.outcome()).isEqualTo(Lookup.Outcome.MISS);
    assertThat(first.detail()).contains("error bound 0.05").contains("not enough labelled");

    int served = 0;
    int calls = 0;
    for (int i = 1; i <= 200 && served == 0; i++) {
      LlmResult r = llm.chat(variant(i), sameAnswer);
      if (r.lookup().outcome() == Lookup.Outcome.SEMANTIC_HIT) {
        served++;
      } else {
        calls++;
      }
    }
    // The Wilson bound at 95 % needs about 3 / 0.05 = 60 agreeing labels, and not many more.
    assertThat(served).isEqualTo(1);
    assertThat(calls).isBetween(40, 90);
  }

  @Test
  void candidatesWhoseAnswersDisagreeAreNeverServed() {
    LlmCache llm = bounded(0.05);
    llm.chat(ask(STORED), r -> LlmResponse.text("use sorted()"));
    for (int i = 1; i <= 200; i++) {
      // Each answer is one word no other answer shares: no two answers agree.
      LlmResult r = llm.chat(variant(i), q -> LlmResponse.text(EXTRA.get(
          EXTRA.indexOf(q.lastUserText().substring(STORED.length() + 1)))));
      assertThat(r.lookup().outcome()).isEqualTo(Lookup.Outcome.MISS);
    }
  }

  @Test
  void usersReportingWrongHitsStopThePartitionServingThem() {
    LlmCache llm = bounded(0.05);
    int i = chatUntilTheFirstSemanticHit(llm).variant();
    int wrongReported = 0;
    Lookup hit;
    while (true) {
      hit = llm.lookup(variant(++i));
      if (hit.detail().contains("answered fresh to check it")) {
        continue; // one would-be hit in twenty is checked instead of served: no verdict on it
      }
      if (hit.outcome() != Lookup.Outcome.SEMANTIC_HIT) {
        break;
      }
      assertThat(llm.feedback(hit.entryId(), false)).isTrue();
      assertThat(llm.feedback(hit.entryId(), false)).as("one hit counts once").isFalse();
      wrongReported++;
      assertThat(wrongReported).isLessThan(20);
    }
    assertThat(wrongReported).isPositive();
    assertThat(hit.detail()).contains("error bound 0.05").contains("under this partition");
  }

  @Test
  void aStoredPromptFoundWrongServesNothingAtThatScoreUntilItsAnswerIsReplaced() {
    LlmCache llm = bounded(0.05);
    int i = chatUntilTheFirstSemanticHit(llm).variant();
    // Users confirm forty hits, so one wrong verdict leaves the partition's threshold standing.
    Lookup hit = null;
    for (int confirmed = 0; confirmed < 40; ) {
      hit = llm.lookup(variant(++i));
      if (hit.outcome() == Lookup.Outcome.SEMANTIC_HIT) {
        assertThat(llm.feedback(hit.entryId(), true)).isTrue();
        confirmed++;
      }
    }
    Lookup wrong;
    do {
      wrong = llm.lookup(variant(++i));
    } while (wrong.outcome() != Lookup.Outcome.SEMANTIC_HIT);
    assertThat(wrong.entryId()).isEqualTo(hit.entryId());
    assertThat(llm.feedback(wrong.entryId(), false)).isTrue();

    // Every variant adds one word, so each scores what the reported one did.
    for (int k = 0; k < 20; k++) {
      Lookup next = llm.lookup(variant(++i));
      assertThat(next.outcome()).isEqualTo(Lookup.Outcome.MISS);
      assertThat(next.detail()).contains("error bound 0.05")
          .contains("at which this stored prompt's answer was found wrong");
    }

    // The answer found wrong is replaced: the new one has no verdict against it.
    llm.put(ask(STORED), LlmResponse.text("use sorted(), then check the order"));
    Lookup afterNewAnswer;
    do {
      afterNewAnswer = llm.lookup(variant(++i));
    } while (afterNewAnswer.detail().contains("answered fresh to check it"));
    assertThat(afterNewAnswer.outcome()).as(afterNewAnswer.detail())
        .isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
    assertThat(afterNewAnswer.response().content())
        .isEqualTo("use sorted(), then check the order");
  }

  @Test
  void feedbackIsRefusedForAnotherTenantAndWithoutTheMode() {
    LlmCache llm = bounded(0.05);
    Lookup hit = chatUntilTheFirstSemanticHit(llm).lookup();
    assertThat(llm.feedback(hit.entryId(), "someone-else", false)).isFalse();
    assertThat(llm.feedback(hit.entryId(), CallOptions.defaults().tenantId(), true)).isTrue();

    LlmCache plain = LlmCache.builder(Cachet.create()).semantic(WORDS).build();
    plain.chat(ask(STORED), r -> LlmResponse.text("use sorted()"));
    Lookup plainHit = plain.lookup(variant(1));
    assertThat(plainHit.outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
    assertThat(plain.feedback(plainHit.entryId(), true)).isFalse();
    assertThatThrownBy(() -> plain.feedback("not-an-id", true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The first semantic hit and the variant it answered. */
  private record FirstHit(Lookup lookup, int variant) {
  }

  /**
   * Stores the prompt, then asks its variants, each answered like it, until one is a semantic
   * hit (the bound has the evidence it needs).
   */
  private static FirstHit chatUntilTheFirstSemanticHit(LlmCache llm) {
    Function<LlmRequest, LlmResponse> sameAnswer = r -> LlmResponse.text("use sorted()");
    llm.chat(ask(STORED), sameAnswer);
    for (int i = 1; i < 200; i++) {
      Lookup l = llm.chat(variant(i), sameAnswer).lookup();
      if (l.outcome() == Lookup.Outcome.SEMANTIC_HIT) {
        return new FirstHit(l, i);
      }
    }
    throw new AssertionError("no semantic hit after 200 agreeing near-misses");
  }

  @Test
  void aBoundOutsideItsRangeIsRefusedWithTheReason() {
    LlmCache.Builder b = LlmCache.builder(Cachet.create());
    assertThatThrownBy(() -> b.errorBound(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(0, 0.5]").hasMessageContaining("0.02");
    assertThatThrownBy(() -> b.errorBound(0.9)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A simulated stream: each query is the stored prompt with 0 to 6 of its 20 words replaced
   * by new ones, and it has the stored prompt's answer only when at most 2 were replaced. The
   * queries' own answers are not stored, so every candidate is the one stored prompt and the
   * stream is stationary: served hits stay under the bound, with hits to show for it, and with
   * no feedback at all (measured: 341 to 371 hits, 1 or 2 of them wrong, over three runs).
   *
   * <p>Not asserted: the same stream with every answer stored drifts (the partition fills with
   * prompts whose answers differ), and there the bound holds only about: over 280 runs, 4.2 to
   * 4.5 % of the served hits were wrong for a bound of 5 % without feedback (pooled per batch),
   * 31 runs went over it and the worst reached 5.6 %; with feedback on every served hit, 3.8 to
   * 3.9 % and none over (cachet-llm/README.md). Without the per-prompt floor it was the same
   * within the scatter (22 of 210 runs over, one at 9.2 %); with 2,000 observations kept per
   * partition instead of 500, 7.0 to 8.1 %.
   */
  @Test
  void onAStationaryMixedStreamServedHitsStayUnderTheBound() {
    int[] hitsAndWrong = stream(CallOptions.defaults().noStore(), 0);
    assertThat(hitsAndWrong[0]).as("it learns to serve").isGreaterThan(300);
    assertThat((double) hitsAndWrong[1] / hitsAndWrong[0]).as("served error rate")
        .isLessThanOrEqualTo(0.05);
  }

  /**
   * Runs 1,500 queries; every {@code feedbackEvery}-th served hit (0: none) is reported right
   * or wrong by the "user".
   *
   * @return the served semantic hits and the wrong ones among them
   */
  private static int[] stream(CallOptions options, int feedbackEvery) {
    WordHashEmbedder words = new WordHashEmbedder("words-bound-stream", 1024);
    LlmCache llm = LlmCache.builder(Cachet.create()).semantic(words).similarityThreshold(0.6)
        .errorBound(0.05).build();
    String[] base = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima "
        + "mike november oscar papa quebec romeo sierra tango").split(" ");
    llm.chat(ask(String.join(" ", base)), r -> LlmResponse.text("the shared answer"));
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    int hits = 0;
    int wrongHits = 0;
    int fresh = 0;
    for (int q = 0; q < 1_500; q++) {
      String[] query = base.clone();
      int replaced = random.nextInt(7);
      for (int k = 0; k < replaced; k++) {
        query[random.nextInt(query.length)] = word(fresh++);
      }
      long actuallyReplaced = java.util.stream.IntStream.range(0, base.length)
          .filter(i -> !query[i].equals(base[i])).count();
      String truth = actuallyReplaced <= 2 ? "the shared answer" : "answer " + word(fresh++);
      LlmResult r = llm.chat(ask(String.join(" ", query)), options,
          x -> LlmResponse.text(truth));
      if (r.lookup().outcome() == Lookup.Outcome.SEMANTIC_HIT) {
        hits++;
        boolean right = r.response().content().equals(truth);
        wrongHits += right ? 0 : 1;
        if (feedbackEvery > 0 && hits % feedbackEvery == 0) {
          llm.feedback(r.lookup().entryId(), right);
        }
      }
    }
    return new int[] {hits, wrongHits};
  }

  /** A word of letters only, different for each n. */
  private static String word(int n) {
    StringBuilder w = new StringBuilder("zz");
    for (int k = n + 1; k > 0; k /= 26) {
      w.append((char) ('a' + k % 26));
    }
    return w.toString();
  }
}
