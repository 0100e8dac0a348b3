package dev.cachet.llm;

import java.util.List;

/**
 * A complete chat-completion answer (one choice), independent of any client library.
 *
 * @param id the provider's response id, or null
 * @param model the model that answered, or null
 * @param content the text of the answer; null when the answer is only tool calls
 * @param toolCalls the tool calls the model asks for; empty for none
 * @param finishReason why the model stopped; null when it did not finish (an incomplete
 *     answer, never stored)
 * @param usage token counts, or null when the provider gave none
 */
public record LlmResponse(String id, String model, String content, List<ToolCall> toolCalls,
    FinishReason finishReason, Usage usage) {

  /**
   * Copies the tool calls.
   *
   * @param id see the record component of that name
   * @param model see the record component of that name
   * @param content see the record component of that name
   * @param toolCalls see the record component of that name
   * @param finishReason see the record component of that name
   * @param usage see the record component of that name
   */
  public LlmResponse {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  /**
   * A finished text answer.
   *
   * @param content the text
   * @return a response with {@link FinishReason#STOP}, no id, model or usage
   */
  public static LlmResponse text(String content) {
    return new LlmResponse(null, null, content, List.of(), FinishReason.STOP, null);
  }

  /**
   * Reads an OpenAI {@code chat.completion} object (the first choice).
   *
   * @param json the response body
   * @return the response
   * @throws InvalidRequestException with {@code MALFORMED_JSON} when it is not such an object
   */
  public static LlmResponse fromJson(String json) {
    return OpenAiJson.readResponse(json);
  }

  /**
   * Writes an OpenAI {@code chat.completion} object with one choice.
   *
   * @return JSON text
   */
  public String toJson() {
    return OpenAiJson.writeResponse(this);
  }

  /**
   * The same answer with another text, for streams assembled from their tokens.
   *
   * @param content the text
   * @return a new response
   */
  public LlmResponse withContent(String content) {
    return new LlmResponse(id, model, content, toolCalls, finishReason, usage);
  }
}
