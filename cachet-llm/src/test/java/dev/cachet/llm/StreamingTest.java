package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamingTest {
  private final LlmCache llm = LlmCache.builder(Cachet.create()).build();
  private final LlmRequest request = LlmRequest.builder("m").user("Tell me a story")
      .temperature(0.0).build();

  /** Collects what a handler receives. */
  static final class Collector implements StreamHandler {
    final List<String> tokens = new CopyOnWriteArrayList<>();
    final CountDownLatch firstToken = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicReference<Lookup> start = new AtomicReference<>();
    final AtomicReference<LlmResult> result = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();

    @Override
    public void onStart(Lookup lookup) {
      start.set(lookup);
    }

    @Override
    public void onToken(String token) {
      tokens.add(token);
      firstToken.countDown();
    }

    @Override
    public void onComplete(LlmResult r) {
      result.set(r);
      done.countDown();
    }

    @Override
    public void onError(Throwable e) {
      error.set(e);
      done.countDown();
    }
  }

  @Test
  void firstTokenArrivesBeforeTheUpstreamFinishesAndTheAnswerIsReplayedOnAHit()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Collector miss = new Collector();
    Thread[] producer = new Thread[1];
    llm.stream(request, CallOptions.defaults(), (req, sink) -> {
      producer[0] = new Thread(() -> {
        sink.token("Once ");
        try {
          // The rest of the answer is held back until the test has seen the first token.
          if (!release.await(10, TimeUnit.SECONDS)) {
            sink.error(new IllegalStateException("test timed out"));
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        sink.token("upon ");
        sink.token("a time.");
        sink.complete(new LlmResponse("r", "m", null, List.of(), FinishReason.STOP,
            Usage.of(3, 4)));
      });
      producer[0].start();
    }, miss);
    assertThat(miss.firstToken.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(miss.tokens).containsExactly("Once ");
    assertThat(miss.done.getCount()).as("not complete yet").isEqualTo(1);
    assertThat(miss.start.get().outcome()).isEqualTo(Lookup.Outcome.MISS);
    release.countDown();
    assertThat(miss.done.await(10, TimeUnit.SECONDS)).isTrue();
    producer[0].join();
    assertThat(miss.result.get().stored()).isTrue();
    assertThat(miss.result.get().response().content()).isEqualTo("Once upon a time.");

    Collector hit = new Collector();
    llm.stream(request, CallOptions.defaults(), (req, sink) -> {
      throw new AssertionError("a hit must not call the upstream");
    }, hit);
    assertThat(hit.start.get().outcome()).isEqualTo(Lookup.Outcome.EXACT_HIT);
    assertThat(hit.tokens).containsExactly("Once ", "upon ", "a time.");
    assertThat(hit.result.get().response().content()).isEqualTo("Once upon a time.");
  }

  @Test
  void aStreamThatFailsIsNotStored() {
    Collector c = new Collector();
    llm.stream(request, CallOptions.defaults(), (req, sink) -> {
      sink.token("Once ");
      sink.error(new RuntimeException("connection reset"));
      sink.complete(LlmResponse.text("too late")); // ignored after the error
    }, c);
    assertThat(c.error.get()).hasMessage("connection reset");
    assertThat(c.result.get()).isNull();
    assertThat(llm.lookup(request).isHit()).isFalse();
  }

  @Test
  void aStreamThatNeverCompletesOrHasNoFinishReasonIsNotStored() {
    Collector open = new Collector();
    llm.stream(request, CallOptions.defaults(), (req, sink) -> sink.token("Once "), open);
    assertThat(llm.lookup(request).isHit()).isFalse();

    Collector unfinished = new Collector();
    llm.stream(request, CallOptions.defaults(), (req, sink) -> {
      sink.token("Once ");
      sink.complete(new LlmResponse(null, null, null, List.of(), null, null));
    }, unfinished);
    assertThat(unfinished.result.get().stored()).isFalse();
    assertThat(unfinished.result.get().notStoredReason()).contains("no finish reason");
    assertThat(llm.lookup(request).isHit()).isFalse();
  }

  @Test
  void anUpstreamThatThrowsIsReportedAsAnError() {
    Collector c = new Collector();
    llm.stream(request, CallOptions.defaults(), (req, sink) -> {
      throw new IllegalStateException("401 Unauthorized");
    }, c);
    assertThat(c.error.get()).hasMessage("401 Unauthorized");
    assertThat(llm.lookup(request).isHit()).isFalse();
  }
}
