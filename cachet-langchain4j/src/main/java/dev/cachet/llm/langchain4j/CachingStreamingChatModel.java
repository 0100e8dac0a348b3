package dev.cachet.llm.langchain4j;

import dev.cachet.llm.CallOptions;
import dev.cachet.llm.InvalidRequestException;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResult;
import dev.cachet.llm.StreamHandler;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Adds Cachet caching to any LangChain4j {@link StreamingChatModel}: on a miss, tokens reach
 * the handler as the model sends them and the answer is stored once complete; on a hit, the
 * stored tokens are replayed to the handler. Errors and incomplete streams are never stored.
 */
public final class CachingStreamingChatModel implements StreamingChatModel {
  private final StreamingChatModel delegate;
  private final LlmCache cache;
  private final CallOptions options;

  private CachingStreamingChatModel(StreamingChatModel delegate, LlmCache cache,
      CallOptions options) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Wraps a streaming model, for the default tenant.
   *
   * @param model the real model
   * @param cache the cache
   * @return the caching model
   */
  public static CachingStreamingChatModel wrap(StreamingChatModel model, LlmCache cache) {
    return new CachingStreamingChatModel(model, cache, CallOptions.defaults());
  }

  /**
   * Wraps a streaming model with per-call options.
   *
   * @param model the real model
   * @param cache the cache
   * @param options used for every call
   * @return the caching model
   */
  public static CachingStreamingChatModel wrap(StreamingChatModel model, LlmCache cache,
      CallOptions options) {
    return new CachingStreamingChatModel(model, cache, options);
  }

  /**
   * Streams from the cache or from the wrapped model. Every {@code chat} variant of
   * {@link StreamingChatModel} arrives here with the request already merged with the wrapped
   * model's default parameters.
   *
   * @param request the merged request
   * @param handler receives the tokens and the complete answer
   */
  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    LlmRequest keyed;
    try {
      keyed = Lc4j.toLlm(request, null);
    } catch (InvalidRequestException e) {
      delegate.chat(request, handler);
      return;
    }
    AtomicReference<ChatResponse> original = new AtomicReference<>();
    cache.stream(keyed, options, (req, sink) -> delegate.chat(request,
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String token) {
            sink.token(token);
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            original.set(response);
            sink.complete(Lc4j.toLlm(response));
          }

          @Override
          public void onError(Throwable error) {
            sink.error(error);
          }
        }), new StreamHandler() {
          @Override
          public void onToken(String token) {
            handler.onPartialResponse(token);
          }

          @Override
          public void onComplete(LlmResult result) {
            ChatResponse response = original.get();
            handler.onCompleteResponse(response != null ? response
                : Lc4j.toLc(result.response()));
          }

          @Override
          public void onError(Throwable error) {
            handler.onError(error);
          }
        });
  }

  /**
   * The wrapped model's defaults.
   *
   * @return its default parameters
   */
  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  /**
   * The wrapped model's provider.
   *
   * @return its provider
   */
  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  /**
   * The wrapped model's capabilities.
   *
   * @return its capabilities
   */
  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }
}
