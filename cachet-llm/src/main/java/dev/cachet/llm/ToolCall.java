package dev.cachet.llm;

import java.util.Objects;

/**
 * A call of a tool requested by the model, in an assistant message or a response.
 *
 * @param id the provider's id of the call; a later {@link Role#TOOL} message answers it by this
 *     id (may be null for providers without ids)
 * @param name the tool's name
 * @param arguments the arguments as the model wrote them, normally a JSON object in text (keys
 *     compare it as canonical JSON when it parses, so whitespace and key order do not matter)
 */
public record ToolCall(String id, String name, String arguments) {
  /**
   * Checks the fields.
   *
   * @param id see the record component of that name
   * @param name see the record component of that name
   * @param arguments see the record component of that name
   * @throws InvalidRequestException when the name is missing
   */
  public ToolCall {
    if (name == null || name.isBlank()) {
      throw new InvalidRequestException(InvalidRequestException.Reason.MISSING_FIELD,
          "A tool call needs the name of the tool (id " + id + ")");
    }
    arguments = Objects.requireNonNullElse(arguments, "");
  }
}
