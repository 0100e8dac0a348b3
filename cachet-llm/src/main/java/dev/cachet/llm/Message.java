package dev.cachet.llm;

import dev.cachet.llm.InvalidRequestException.Reason;
import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who wrote it
 * @param content its text; null only for an assistant message that carries tool calls
 * @param name an optional participant name (OpenAI's {@code name}); part of the key
 * @param toolCalls the tool calls of an assistant message; empty otherwise
 * @param toolCallId for a {@link Role#TOOL} message, the id of the call it answers
 */
public record Message(Role role, String content, String name, List<ToolCall> toolCalls,
    String toolCallId) {

  /**
   * Checks the message.
   *
   * @param role see the record component of that name
   * @param content see the record component of that name
   * @param name see the record component of that name
   * @param toolCalls see the record component of that name
   * @param toolCallId see the record component of that name
   * @throws InvalidRequestException with {@link Reason#EMPTY_MESSAGES} when a system,
   *     developer or user message has blank content, or an assistant message has neither
   *     content nor tool calls; with {@link Reason#MISSING_FIELD} when a tool message has no
   *     tool call id
   */
  public Message {
    if (role == null) {
      throw new InvalidRequestException(Reason.MISSING_FIELD, "A message needs a role");
    }
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    switch (role) {
      case SYSTEM, DEVELOPER, USER -> {
        if (content == null || content.isBlank()) {
          throw new InvalidRequestException(Reason.EMPTY_MESSAGES,
              "A " + role.wireName() + " message has empty content");
        }
        if (!toolCalls.isEmpty()) {
          throw new InvalidRequestException(Reason.INVALID_FIELD,
              "Only assistant messages carry tool calls, not " + role.wireName() + " messages");
        }
      }
      case ASSISTANT -> {
        if ((content == null || content.isEmpty()) && toolCalls.isEmpty()) {
          throw new InvalidRequestException(Reason.EMPTY_MESSAGES,
              "An assistant message has neither content nor tool calls");
        }
      }
      case TOOL -> {
        if (toolCallId == null || toolCallId.isBlank()) {
          throw new InvalidRequestException(Reason.MISSING_FIELD,
              "A tool message needs the id of the tool call it answers (tool_call_id)");
        }
        if (content == null) {
          throw new InvalidRequestException(Reason.EMPTY_MESSAGES,
              "A tool message has no content (use \"\" for an empty tool result)");
        }
      }
      default -> throw new AssertionError(role);
    }
  }

  /**
   * A system message.
   *
   * @param content the instructions
   * @return the message
   */
  public static Message system(String content) {
    return new Message(Role.SYSTEM, content, null, List.of(), null);
  }

  /**
   * A user message.
   *
   * @param content the question
   * @return the message
   */
  public static Message user(String content) {
    return new Message(Role.USER, content, null, List.of(), null);
  }

  /**
   * An assistant message with text.
   *
   * @param content the earlier answer
   * @return the message
   */
  public static Message assistant(String content) {
    return new Message(Role.ASSISTANT, content, null, List.of(), null);
  }

  /**
   * An assistant message with tool calls and optional text.
   *
   * @param content text, possibly null
   * @param toolCalls the calls, at least one unless content is given
   * @return the message
   */
  public static Message assistant(String content, List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, content, null, toolCalls, null);
  }

  /**
   * A tool result.
   *
   * @param toolCallId the id of the call it answers
   * @param content the tool's output
   * @return the message
   */
  public static Message tool(String toolCallId, String content) {
    return new Message(Role.TOOL, content, null, List.of(), toolCallId);
  }

  /**
   * The same message with a participant name.
   *
   * @param name the name, or null for none
   * @return a new message
   */
  public Message withName(String name) {
    return new Message(role, content, name, toolCalls, toolCallId);
  }

  /**
   * The number of characters this message contributes to a prompt (content, name and tool
   * call arguments), for the size limit.
   *
   * @return a character count
   */
  public long size() {
    long n = content == null ? 0 : content.length();
    n += name == null ? 0 : name.length();
    for (ToolCall call : toolCalls) {
      n += call.name().length() + call.arguments().length();
    }
    return n;
  }

  /**
   * Describes this object for logs.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    String text = content == null ? "" : content;
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return role.wireName() + (name == null ? "" : "(" + name + ")") + ": " + text
        + (toolCalls.isEmpty() ? "" : " " + toolCalls) + (toolCallId == null ? ""
        : " [answers " + Objects.toString(toolCallId) + "]");
  }
}
