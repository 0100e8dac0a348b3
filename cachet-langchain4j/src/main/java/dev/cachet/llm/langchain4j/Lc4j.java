package dev.cachet.llm.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachet.llm.FinishReason;
import dev.cachet.llm.InvalidRequestException;
import dev.cachet.llm.InvalidRequestException.Reason;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.Message;
import dev.cachet.llm.Role;
import dev.cachet.llm.ToolCall;
import dev.cachet.llm.Usage;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Converts between LangChain4j's chat types and the cache's model. */
final class Lc4j {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Lc4j() {
  }

  /**
   * The cache's request for a LangChain4j request, with the model's default parameters
   * applied (they change the answer as much as the request's own).
   */
  static LlmRequest toLlm(ChatRequest request, ChatRequestParameters defaults) {
    ChatRequestParameters p = defaults == null ? request.parameters()
        : defaults.overrideWith(request.parameters());
    String model = p.modelName() != null ? p.modelName() : "unnamed-model";
    LlmRequest.Builder b = LlmRequest.builder(model);
    for (ChatMessage m : request.messages()) {
      b.message(message(m));
    }
    b.temperature(p.temperature()).topP(p.topP()).maxTokens(p.maxOutputTokens());
    if (p.stopSequences() != null) {
      b.stop(p.stopSequences());
    }
    if (p.toolSpecifications() != null) {
      for (ToolSpecification tool : p.toolSpecifications()) {
        ObjectNode node = NODES.objectNode().put("type", "function");
        node.set("function", json(tool.toJson()));
        b.tool(node);
      }
    }
    if (p.toolChoice() != null) {
      b.toolChoice(p.toolChoice().name().toLowerCase(Locale.ROOT));
    }
    ResponseFormat format = p.responseFormat();
    if (format != null) {
      ObjectNode node = NODES.objectNode().put("type",
          format.type().name().toLowerCase(Locale.ROOT));
      if (format.jsonSchema() != null) {
        node.put("json_schema", format.jsonSchema().toString());
      }
      b.responseFormat(node);
    }
    if (p.topK() != null) {
      b.extra("top_k", NODES.numberNode(p.topK()));
    }
    if (p.frequencyPenalty() != null) {
      b.extra("frequency_penalty", NODES.numberNode(p.frequencyPenalty()));
    }
    if (p.presencePenalty() != null) {
      b.extra("presence_penalty", NODES.numberNode(p.presencePenalty()));
    }
    return b.build();
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      return NODES.textNode(text);
    }
  }

  private static Message message(ChatMessage m) {
    if (m instanceof SystemMessage s) {
      return Message.system(s.text());
    }
    if (m instanceof UserMessage u) {
      StringBuilder text = new StringBuilder();
      for (Content c : u.contents()) {
        if (!(c instanceof TextContent t)) {
          throw new InvalidRequestException(Reason.UNSUPPORTED, "A user message has "
              + c.type() + " content; only text is cached");
        }
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(t.text());
      }
      return new Message(Role.USER, text.toString(), u.name(), List.of(), null);
    }
    if (m instanceof AiMessage a) {
      return Message.assistant(a.text(), toolCalls(a));
    }
    if (m instanceof ToolExecutionResultMessage t) {
      return new Message(Role.TOOL, t.text() == null ? "" : t.text(), t.toolName(), List.of(),
          t.id() == null ? t.toolName() : t.id());
    }
    throw new InvalidRequestException(Reason.UNSUPPORTED, "Messages of type " + m.type()
        + " are not cached");
  }

  private static List<ToolCall> toolCalls(AiMessage a) {
    List<ToolCall> calls = new ArrayList<>();
    if (a.hasToolExecutionRequests()) {
      for (ToolExecutionRequest r : a.toolExecutionRequests()) {
        calls.add(new ToolCall(r.id(), r.name(), r.arguments()));
      }
    }
    return calls;
  }

  static LlmResponse toLlm(ChatResponse r) {
    AiMessage ai = r.aiMessage();
    TokenUsage u = r.tokenUsage();
    Usage usage = u == null ? null : new Usage(zero(u.inputTokenCount()),
        zero(u.outputTokenCount()), zero(u.totalTokenCount()));
    return new LlmResponse(r.id(), r.modelName(), ai == null ? null : ai.text(),
        ai == null ? List.of() : toolCalls(ai), finish(r.finishReason()), usage);
  }

  private static int zero(Integer i) {
    return i == null ? 0 : i;
  }

  private static FinishReason finish(dev.langchain4j.model.output.FinishReason f) {
    if (f == null) {
      return null;
    }
    return switch (f) {
      case STOP -> FinishReason.STOP;
      case LENGTH -> FinishReason.LENGTH;
      case TOOL_EXECUTION -> FinishReason.TOOL_CALLS;
      case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  static ChatResponse toLc(LlmResponse r) {
    List<ToolExecutionRequest> requests = new ArrayList<>();
    for (ToolCall c : r.toolCalls()) {
      requests.add(ToolExecutionRequest.builder().id(c.id()).name(c.name())
          .arguments(c.arguments()).build());
    }
    AiMessage ai = requests.isEmpty() ? AiMessage.from(r.content() == null ? "" : r.content())
        : AiMessage.from(r.content(), requests);
    ChatResponse.Builder b = ChatResponse.builder().aiMessage(ai).id(r.id())
        .modelName(r.model());
    if (r.usage() != null) {
      b.tokenUsage(new TokenUsage(r.usage().promptTokens(), r.usage().completionTokens(),
          r.usage().totalTokens()));
    }
    if (r.finishReason() != null) {
      b.finishReason(switch (r.finishReason()) {
        case STOP -> dev.langchain4j.model.output.FinishReason.STOP;
        case LENGTH -> dev.langchain4j.model.output.FinishReason.LENGTH;
        case TOOL_CALLS -> dev.langchain4j.model.output.FinishReason.TOOL_EXECUTION;
        case CONTENT_FILTER -> dev.langchain4j.model.output.FinishReason.CONTENT_FILTER;
        default -> dev.langchain4j.model.output.FinishReason.OTHER;
      });
    }
    return b.build();
  }
}
