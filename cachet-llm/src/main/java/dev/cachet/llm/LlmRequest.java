package dev.cachet.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachet.llm.InvalidRequestException.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A chat-completion request, independent of any client library: the model, the messages and
 * every parameter that can change the answer. Immutable; build one with {@link #builder(String)},
 * read one from OpenAI-style JSON with {@link #fromJson(String)}, or convert one from LangChain4j
 * (see {@code dev.cachet.llm.langchain4j}, artifact cachet-langchain4j).
 *
 * <p>Every field is part of the exact cache key, in a canonical form (see the module README):
 * two requests that differ only in the order of JSON keys or in insignificant whitespace of
 * tool schemas are the same key; any other difference, including the system prompt, the tools
 * or the tool choice, is a different key. Parameters this class has no field for, such as
 * {@code frequency_penalty} or {@code logit_bias}, go to {@link #extra()} and are keyed too.
 */
public final class LlmRequest {
  private final String model;
  private final List<Message> messages;
  private final Double temperature;
  private final Double topP;
  private final Integer maxTokens;
  private final List<String> stop;
  private final Long seed;
  private final List<JsonNode> tools;
  private final JsonNode toolChoice;
  private final JsonNode responseFormat;
  private final Map<String, JsonNode> extra;

  private LlmRequest(Builder b) {
    this.model = b.model;
    this.messages = List.copyOf(b.messages);
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.maxTokens = b.maxTokens;
    this.stop = List.copyOf(b.stop);
    this.seed = b.seed;
    this.tools = b.tools.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    this.toolChoice = b.toolChoice == null ? null : b.toolChoice.deepCopy();
    this.responseFormat = b.responseFormat == null ? null : b.responseFormat.deepCopy();
    TreeMap<String, JsonNode> copy = new TreeMap<>();
    b.extra.forEach((k, v) -> copy.put(k, v.deepCopy()));
    this.extra = Collections.unmodifiableMap(copy);
  }

  /**
   * Starts a request.
   *
   * @param model the model name, as the provider knows it
   * @return a builder
   */
  public static Builder builder(String model) {
    return new Builder().model(model);
  }

  /**
   * Reads an OpenAI chat-completions request body. Fields that do not change the answer
   * ({@code stream}, {@code stream_options}, {@code user}, {@code metadata}, {@code store},
   * {@code service_tier}) are dropped; unknown fields are kept in {@link #extra()}.
   *
   * @param json the request body
   * @return the request
   * @throws InvalidRequestException when the body is not valid JSON
   *     ({@link Reason#MALFORMED_JSON}), a role is unknown, messages are missing or empty, or
   *     the request asks for what one cached answer cannot give ({@code n} &gt; 1,
   *     {@code logprobs}, non-text content: {@link Reason#UNSUPPORTED})
   */
  public static LlmRequest fromJson(String json) {
    return OpenAiJson.readRequest(json);
  }

  /**
   * Writes the request as an OpenAI chat-completions body (without {@code stream}).
   *
   * @return JSON text
   */
  public String toJson() {
    return OpenAiJson.writeRequest(this);
  }

  /**
   * A builder holding this request's fields, to derive a changed copy.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder().model(model).messages(messages).temperature(temperature)
        .topP(topP).maxTokens(maxTokens).stop(stop).seed(seed).tools(tools)
        .toolChoice(toolChoice).responseFormat(responseFormat);
    extra.forEach(b::extra);
    return b;
  }

  /**
   * The model name.
   *
   * @return never null
   */
  public String model() {
    return model;
  }

  /**
   * The conversation.
   *
   * @return an immutable, non-empty list
   */
  public List<Message> messages() {
    return messages;
  }

  /**
   * The sampling temperature.
   *
   * @return the temperature, or null when the provider's default applies
   */
  public Double temperature() {
    return temperature;
  }

  /**
   * Nucleus sampling.
   *
   * @return top_p, or null
   */
  public Double topP() {
    return topP;
  }

  /**
   * The limit on generated tokens.
   *
   * @return max tokens, or null
   */
  public Integer maxTokens() {
    return maxTokens;
  }

  /**
   * Stop sequences.
   *
   * @return an immutable list, possibly empty
   */
  public List<String> stop() {
    return stop;
  }

  /**
   * The sampling seed.
   *
   * @return the seed, or null
   */
  public Long seed() {
    return seed;
  }

  /**
   * The tool definitions, in OpenAI form ({@code {"type":"function","function":{...}}}).
   *
   * @return copies, in order (order is part of the key: it is part of the prompt)
   */
  public List<JsonNode> tools() {
    return tools.stream().<JsonNode>map(JsonNode::deepCopy).toList();
  }

  /**
   * The tool choice: {@code "auto"}, {@code "none"}, {@code "required"} or an object naming
   * a function.
   *
   * @return a copy, or null
   */
  public JsonNode toolChoice() {
    return toolChoice == null ? null : toolChoice.deepCopy();
  }

  /**
   * The response format, such as {@code {"type":"json_object"}} or a JSON schema.
   *
   * @return a copy, or null
   */
  public JsonNode responseFormat() {
    return responseFormat == null ? null : responseFormat.deepCopy();
  }

  /**
   * Other parameters that may change the answer, by their wire names.
   *
   * @return an immutable map sorted by name, with copies of the values
   */
  public Map<String, JsonNode> extra() {
    TreeMap<String, JsonNode> copy = new TreeMap<>();
    extra.forEach((k, v) -> copy.put(k, v.deepCopy()));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * The text of the last message when it is a user message: what the semantic cache compares.
   *
   * @return the text, or null when the last message is not from the user
   */
  public String lastUserText() {
    Message last = messages.get(messages.size() - 1);
    return last.role() == Role.USER ? last.content() : null;
  }

  /**
   * The size of the prompt in characters: message contents, names, tool call arguments and
   * tool definitions.
   *
   * @return a character count
   */
  public long promptChars() {
    long n = 0;
    for (Message m : messages) {
      n += m.size();
    }
    for (JsonNode tool : tools) {
      n += tool.toString().length();
    }
    return n;
  }

  // Package-private, uncopied views for key building.
  List<JsonNode> toolsView() {
    return tools;
  }

  JsonNode toolChoiceView() {
    return toolChoice;
  }

  JsonNode responseFormatView() {
    return responseFormat;
  }

  Map<String, JsonNode> extraView() {
    return extra;
  }

  /**
   * Compares by canonical content: equal objects have the same cache key.
   *
   * @param o another object
   * @return whether they are equal
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof LlmRequest r && RequestKeys.canonicalJson(this, "")
        .equals(RequestKeys.canonicalJson(r, ""));
  }

  /**
   * A hash consistent with {@link #equals}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return RequestKeys.canonicalJson(this, "").hashCode();
  }

  /**
   * Describes this object for logs.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "LlmRequest[model=" + model + ", messages=" + messages + ", temperature="
        + temperature + ", seed=" + seed + ", tools=" + tools.size() + "]";
  }

  /** Collects the fields of a {@link LlmRequest}; not thread-safe. */
  public static final class Builder {
    private String model;
    private final List<Message> messages = new ArrayList<>();
    private Double temperature;
    private Double topP;
    private Integer maxTokens;
    private final List<String> stop = new ArrayList<>();
    private Long seed;
    private final List<JsonNode> tools = new ArrayList<>();
    private JsonNode toolChoice;
    private JsonNode responseFormat;
    private final Map<String, JsonNode> extra = new TreeMap<>();

    private Builder() {
    }

    /**
     * Sets the model.
     *
     * @param model the provider's model name
     * @return this builder
     */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /**
     * Appends a message.
     *
     * @param message the message
     * @return this builder
     */
    public Builder message(Message message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /**
     * Replaces the messages.
     *
     * @param messages the conversation, in order
     * @return this builder
     */
    public Builder messages(List<Message> messages) {
      this.messages.clear();
      messages.forEach(this::message);
      return this;
    }

    /**
     * Appends a system message.
     *
     * @param content the instructions
     * @return this builder
     */
    public Builder system(String content) {
      return message(Message.system(content));
    }

    /**
     * Appends a user message.
     *
     * @param content the question
     * @return this builder
     */
    public Builder user(String content) {
      return message(Message.user(content));
    }

    /**
     * Appends an assistant message.
     *
     * @param content the earlier answer
     * @return this builder
     */
    public Builder assistant(String content) {
      return message(Message.assistant(content));
    }

    /**
     * Sets the temperature.
     *
     * @param temperature 0 to 2, or null for the provider's default
     * @return this builder
     */
    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * Sets top_p.
     *
     * @param topP 0 to 1, or null
     * @return this builder
     */
    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    /**
     * Sets the token limit.
     *
     * @param maxTokens a positive count, or null
     * @return this builder
     */
    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Sets the stop sequences.
     *
     * @param stop the sequences (order is kept: it is part of the key)
     * @return this builder
     */
    public Builder stop(List<String> stop) {
      this.stop.clear();
      this.stop.addAll(stop == null ? List.of() : stop);
      return this;
    }

    /**
     * Sets the seed.
     *
     * @param seed the seed, or null
     * @return this builder
     */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Appends a tool definition in OpenAI form.
     *
     * @param tool {@code {"type":"function","function":{"name":...,"parameters":...}}}
     * @return this builder
     */
    public Builder tool(JsonNode tool) {
      tools.add(Objects.requireNonNull(tool, "tool").deepCopy());
      return this;
    }

    /**
     * Appends a function tool.
     *
     * @param name the function's name
     * @param description what it does, or null
     * @param parametersSchema its JSON schema as JSON text, or null for none
     * @return this builder
     * @throws InvalidRequestException when the schema is not JSON
     */
    public Builder tool(String name, String description, String parametersSchema) {
      ObjectNode function = JsonNodeFactory.instance.objectNode().put("name", name);
      if (description != null) {
        function.put("description", description);
      }
      if (parametersSchema != null) {
        function.set("parameters", OpenAiJson.parse(parametersSchema, "tool parameters"));
      }
      ObjectNode tool = JsonNodeFactory.instance.objectNode().put("type", "function");
      tool.set("function", function);
      return tool(tool);
    }

    /**
     * Replaces the tool definitions.
     *
     * @param tools definitions in OpenAI form
     * @return this builder
     */
    public Builder tools(List<JsonNode> tools) {
      this.tools.clear();
      tools.forEach(this::tool);
      return this;
    }

    /**
     * Sets the tool choice.
     *
     * @param toolChoice a JSON string ({@code "auto"}, ...) or object, or null
     * @return this builder
     */
    public Builder toolChoice(JsonNode toolChoice) {
      this.toolChoice = toolChoice == null || toolChoice.isNull() ? null : toolChoice.deepCopy();
      return this;
    }

    /**
     * Sets the tool choice by name: {@code auto}, {@code none} or {@code required}.
     *
     * @param toolChoice the choice, or null
     * @return this builder
     */
    public Builder toolChoice(String toolChoice) {
      return toolChoice(toolChoice == null ? null
          : JsonNodeFactory.instance.textNode(toolChoice));
    }

    /**
     * Sets the response format.
     *
     * @param responseFormat such as {@code {"type":"json_object"}}, or null
     * @return this builder
     */
    public Builder responseFormat(JsonNode responseFormat) {
      this.responseFormat = responseFormat == null || responseFormat.isNull() ? null
          : responseFormat.deepCopy();
      return this;
    }

    /**
     * Sets another parameter that may change the answer.
     *
     * @param wireName its name in OpenAI JSON, such as {@code frequency_penalty}
     * @param value its value; null removes it
     * @return this builder
     */
    public Builder extra(String wireName, JsonNode value) {
      Objects.requireNonNull(wireName, "wireName");
      if (value == null || value.isNull()) {
        extra.remove(wireName);
      } else {
        extra.put(wireName, value.deepCopy());
      }
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     * @throws InvalidRequestException when the model or the messages are missing, or a
     *     parameter is out of range
     */
    public LlmRequest build() {
      if (model == null || model.isBlank()) {
        throw new InvalidRequestException(Reason.MISSING_FIELD, "A request needs a model name");
      }
      if (messages.isEmpty()) {
        throw new InvalidRequestException(Reason.EMPTY_MESSAGES,
            "A request needs at least one message");
      }
      check(temperature == null || (temperature >= 0 && temperature <= 2
          && !temperature.isNaN()), "temperature must be between 0 and 2, got " + temperature);
      check(topP == null || (topP >= 0 && topP <= 1), "top_p must be between 0 and 1, got "
          + topP);
      check(maxTokens == null || maxTokens > 0, "max_tokens must be positive, got " + maxTokens);
      for (String s : stop) {
        check(s != null && !s.isEmpty(), "stop sequences must be non-empty strings");
      }
      return new LlmRequest(this);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new InvalidRequestException(Reason.INVALID_FIELD, message);
      }
    }
  }
}
