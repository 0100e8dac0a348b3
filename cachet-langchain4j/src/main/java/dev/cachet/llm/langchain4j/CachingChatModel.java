package dev.cachet.llm.langchain4j;

import dev.cachet.llm.CallOptions;
import dev.cachet.llm.InvalidRequestException;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResult;
import dev.cachet.llm.Lookup;
import dev.cachet.llm.StoreOutcome;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Adds Cachet caching to any LangChain4j {@link ChatModel} (LangChain4j has no response cache
 * of its own). Requests the cache cannot represent (images, unknown message types) go straight
 * to the model, uncached.
 *
 * <pre>{@code
 * ChatModel cached = CachingChatModel.wrap(openAiModel, llmCache);
 * cached.chat("What is the capital of France?");   // calls the model
 * cached.chat("What is the capital of France?");   // from the cache
 * }</pre>
 */
public final class CachingChatModel implements ChatModel {
  private final ChatModel delegate;
  private final LlmCache cache;
  private final CallOptions options;
  private final Consumer<LlmResult> observer;

  private CachingChatModel(ChatModel delegate, LlmCache cache, CallOptions options,
      Consumer<LlmResult> observer) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.options = Objects.requireNonNull(options, "options");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * Wraps a model, for the default tenant.
   *
   * @param model the real model
   * @param cache the cache
   * @return the caching model
   */
  public static CachingChatModel wrap(ChatModel model, LlmCache cache) {
    return new CachingChatModel(model, cache, CallOptions.defaults(), r -> { });
  }

  /**
   * Wraps a model with per-call options (tenant, sampled policy).
   *
   * @param model the real model
   * @param cache the cache
   * @param options used for every call
   * @return the caching model
   */
  public static CachingChatModel wrap(ChatModel model, LlmCache cache, CallOptions options) {
    return new CachingChatModel(model, cache, options, r -> { });
  }

  /**
   * The same model reporting every call's result (hit or miss, how it was found) to an
   * observer, for logs and metrics.
   *
   * @param observer called after each cached call, on the caller's thread
   * @return a new caching model
   */
  public CachingChatModel observed(Consumer<LlmResult> observer) {
    return new CachingChatModel(delegate, cache, options, observer);
  }

  /**
   * Answers from the cache, or from the wrapped model (storing its answer). Every
   * {@code chat} and {@code chatAsync} variant of {@link ChatModel} arrives here with the
   * request already merged with {@link #defaultRequestParameters()} (the wrapped model's), so
   * the key covers the parameters the model will really use.
   *
   * @param request the merged request
   * @return the answer
   */
  @Override
  public ChatResponse doChat(ChatRequest request) {
    LlmRequest keyed;
    try {
      keyed = Lc4j.toLlm(request, null);
    } catch (InvalidRequestException e) {
      return delegate.chat(request); // not representable: never cached, never wrong
    }
    ChatResponse[] original = new ChatResponse[1];
    LlmResult result = cache.chat(keyed, options, r -> {
      original[0] = delegate.chat(request);
      return Lc4j.toLlm(original[0]);
    });
    observer.accept(result);
    return original[0] != null ? original[0] : Lc4j.toLc(result.response());
  }

  /**
   * The asynchronous form: a hit completes at once; a miss calls the wrapped model's
   * {@code chatAsync} and stores the answer when it arrives (a failed call stores nothing).
   *
   * @param request the merged request
   * @return the answer, when it is there
   */
  @Override
  public CompletableFuture<ChatResponse> doChatAsync(ChatRequest request) {
    LlmRequest keyed;
    try {
      keyed = Lc4j.toLlm(request, null);
    } catch (InvalidRequestException e) {
      return delegate.chatAsync(request);
    }
    Lookup lookup = cache.lookup(keyed, options);
    if (lookup.isHit()) {
      observer.accept(new LlmResult(lookup.response(), lookup, false, null));
      return CompletableFuture.completedFuture(Lc4j.toLc(lookup.response()));
    }
    return delegate.chatAsync(request).thenApply(response -> {
      StoreOutcome stored = options.storesAnswers()
          ? cache.put(keyed, Lc4j.toLlm(response), null, options)
          : new StoreOutcome(false, "noStore requested");
      observer.accept(new LlmResult(Lc4j.toLlm(response), lookup, stored.stored(),
          stored.reason()));
      return response;
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
