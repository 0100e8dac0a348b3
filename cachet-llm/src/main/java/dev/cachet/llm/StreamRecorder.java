package dev.cachet.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sink a missed {@link LlmCache#stream} hands its upstream: passes each token on as it
 * arrives and keeps them, so the answer can be stored, and replayed chunk by chunk, once the
 * upstream completes it. After the first end (completion or error) further calls are ignored.
 */
final class StreamRecorder implements StreamingUpstream.TokenSink {
  private static final Logger LOG = Logger.getLogger(LlmCache.class.getName());

  /** Stores a completed answer with the chunks it was streamed in. */
  interface AnswerStore {
    StoreOutcome store(LlmResponse response, List<String> chunks);
  }

  private final Lookup lookup;
  private final StreamHandler handler;
  private final AnswerStore store;
  private final List<String> chunks = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private final AtomicBoolean ended = new AtomicBoolean();

  StreamRecorder(Lookup lookup, StreamHandler handler, AnswerStore store) {
    this.lookup = lookup;
    this.handler = handler;
    this.store = store;
  }

  @Override
  public void token(String token) {
    if (ended.get() || token == null || token.isEmpty()) {
      return;
    }
    synchronized (this) {
      chunks.add(token);
      text.append(token);
    }
    handler.onToken(token);
  }

  @Override
  public void complete(LlmResponse response) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    LlmResponse full;
    List<String> kept;
    synchronized (this) {
      full = response.content() == null && text.length() > 0
          ? response.withContent(text.toString()) : response;
      kept = List.copyOf(chunks);
    }
    StoreOutcome stored;
    try {
      stored = store.store(full, kept);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Storing a streamed answer failed", e);
      stored = StoreOutcome.refused("store failed: " + e);
    }
    handler.onComplete(new LlmResult(full, lookup, stored.stored(), stored.reason()));
  }

  @Override
  public void error(Throwable error) {
    if (ended.compareAndSet(false, true)) {
      handler.onError(error);
    }
  }
}
