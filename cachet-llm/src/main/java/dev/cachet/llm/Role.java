package dev.cachet.llm;

import java.util.Locale;

/** Who wrote a {@link Message}. The wire names are the OpenAI chat-completions ones. */
public enum Role {
  /** Instructions from the application; part of every semantic partition. */
  SYSTEM("system"),
  /** OpenAI's newer name for system instructions; kept apart from {@link #SYSTEM} in keys. */
  DEVELOPER("developer"),
  /** The person asking; the last user message is what the semantic cache compares. */
  USER("user"),
  /** The model's earlier answers, possibly with tool calls. */
  ASSISTANT("assistant"),
  /** The result of a tool call, answering an assistant's {@link ToolCall} by its id. */
  TOOL("tool");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The name used in JSON requests.
   *
   * @return {@code system}, {@code developer}, {@code user}, {@code assistant} or {@code tool}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Reads a wire name.
   *
   * @param name a role as written in a request, case-insensitive
   * @return the role
   * @throws InvalidRequestException with {@link InvalidRequestException.Reason#UNKNOWN_ROLE} for
   *     any other name (a role Cachet does not know may change the answer in ways its keys do
   *     not capture, so it is refused rather than guessed)
   */
  public static Role fromWireName(String name) {
    if (name != null) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (Role role : values()) {
        if (role.wireName.equals(lower)) {
          return role;
        }
      }
    }
    throw new InvalidRequestException(InvalidRequestException.Reason.UNKNOWN_ROLE,
        "Unknown message role '" + name + "': expected one of system, developer, user, "
            + "assistant, tool");
  }
}
