package dev.cachet.llm.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.llm.CallOptions;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmResult;
import dev.cachet.llm.Lookup;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachingChatModelTest {
  private static final ChatRequestParameters DETERMINISTIC = ChatRequestParameters.builder()
      .modelName("fake-model").temperature(0.0).build();

  /** A model that counts its calls and answers with the call number. */
  static final class CountingModel implements ChatModel {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ChatResponse doChat(ChatRequest request) {
      int n = calls.incrementAndGet();
      return ChatResponse.builder().aiMessage(AiMessage.from("answer #" + n))
          .finishReason(FinishReason.STOP).tokenUsage(new TokenUsage(10, 3)).build();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
      return DETERMINISTIC;
    }
  }

  /** A streaming model that counts calls and streams three tokens. */
  static final class CountingStreamingModel implements StreamingChatModel {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean fail;

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
      calls.incrementAndGet();
      handler.onPartialResponse("Hel");
      handler.onPartialResponse("lo");
      if (fail) {
        handler.onError(new RuntimeException("stream broke"));
        return;
      }
      handler.onPartialResponse("!");
      handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("Hello!"))
          .finishReason(FinishReason.STOP).build());
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
      return DETERMINISTIC;
    }
  }

  @Test
  void theSecondIdenticalCallIsServedFromTheCache() {
    CountingModel model = new CountingModel();
    List<LlmResult> seen = new CopyOnWriteArrayList<>();
    ChatModel cached = CachingChatModel.wrap(model, LlmCache.builder(Cachet.create()).build())
        .observed(seen::add);
    String first = cached.chat("What is the capital of France?");
    String second = cached.chat("What is the capital of France?");
    assertThat(first).isEqualTo("answer #1");
    assertThat(second).isEqualTo("answer #1");
    assertThat(model.calls).hasValue(1);
    assertThat(seen).extracting(r -> r.lookup().outcome())
        .containsExactly(Lookup.Outcome.MISS, Lookup.Outcome.EXACT_HIT);
    assertThat(cached.chat("What is the capital of Spain?")).isEqualTo("answer #2");
  }

  @Test
  void systemMessagesAndParametersArePartOfTheKey() {
    CountingModel model = new CountingModel();
    ChatModel cached = CachingChatModel.wrap(model, LlmCache.builder(Cachet.create()).build());
    cached.chat(ChatRequest.builder().messages(SystemMessage.from("Be terse."),
        UserMessage.from("Hi")).build());
    cached.chat(ChatRequest.builder().messages(SystemMessage.from("Be verbose."),
        UserMessage.from("Hi")).build());
    cached.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
        .parameters(ChatRequestParameters.builder().maxOutputTokens(5).build()).build());
    assertThat(model.calls).hasValue(3);
  }

  @Test
  void sampledCallsAreNotServedByDefault() {
    CountingModel model = new CountingModel();
    ChatModel cached = CachingChatModel.wrap(model, LlmCache.builder(Cachet.create()).build());
    ChatRequest hot = ChatRequest.builder().messages(UserMessage.from("Write a poem"))
        .parameters(ChatRequestParameters.builder().temperature(0.8).build()).build();
    cached.chat(hot);
    cached.chat(hot);
    assertThat(model.calls).hasValue(2);
    ChatModel allowed = CachingChatModel.wrap(model, LlmCache.builder(Cachet.create()).build(),
        CallOptions.defaults().serveSampled(true));
    allowed.chat(hot);
    allowed.chat(hot);
    assertThat(model.calls).hasValue(3);
  }

  @Test
  void streamingMissPassesTokensThroughAndAHitReplaysThem() {
    CountingStreamingModel model = new CountingStreamingModel();
    StreamingChatModel cached = CachingStreamingChatModel.wrap(model,
        LlmCache.builder(Cachet.create()).build());
    Recorder miss = new Recorder();
    cached.chat(ChatRequest.builder().messages(UserMessage.from("Greet me")).build(), miss);
    Recorder hit = new Recorder();
    cached.chat(ChatRequest.builder().messages(UserMessage.from("Greet me")).build(), hit);
    assertThat(model.calls).hasValue(1);
    assertThat(miss.tokens).containsExactly("Hel", "lo", "!");
    assertThat(hit.tokens).containsExactly("Hel", "lo", "!");
    assertThat(hit.response.get().aiMessage().text()).isEqualTo("Hello!");
  }

  @Test
  void aBrokenStreamIsNotStored() {
    CountingStreamingModel model = new CountingStreamingModel();
    model.fail = true;
    StreamingChatModel cached = CachingStreamingChatModel.wrap(model,
        LlmCache.builder(Cachet.create()).build());
    Recorder first = new Recorder();
    cached.chat(ChatRequest.builder().messages(UserMessage.from("Greet me")).build(), first);
    assertThat(first.error.get()).hasMessage("stream broke");
    model.fail = false;
    Recorder second = new Recorder();
    cached.chat(ChatRequest.builder().messages(UserMessage.from("Greet me")).build(), second);
    assertThat(model.calls).hasValue(2);
    assertThat(second.tokens).containsExactly("Hel", "lo", "!");
  }

  static final class Recorder implements StreamingChatResponseHandler {
    final List<String> tokens = new CopyOnWriteArrayList<>();
    final AtomicReference<ChatResponse> response = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();

    @Override
    public void onPartialResponse(String token) {
      tokens.add(token);
    }

    @Override
    public void onCompleteResponse(ChatResponse r) {
      response.set(r);
    }

    @Override
    public void onError(Throwable e) {
      error.set(e);
    }
  }

  @Test
  void everyEntryPointOfChatModelIsCached() throws Exception {
    CountingModel model = new CountingModel();
    ChatModel cached = CachingChatModel.wrap(model, LlmCache.builder(Cachet.create()).build());
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Hello")).build();
    cached.chat(request);
    cached.chat(request, dev.langchain4j.model.chat.ChatRequestOptions.EMPTY);
    cached.chat(UserMessage.from("Hello"));
    cached.chat("Hello");
    assertThat(cached.chatAsync(request).get(10, java.util.concurrent.TimeUnit.SECONDS)
        .aiMessage().text()).isEqualTo("answer #1");
    assertThat(model.calls).hasValue(1);
  }
}
