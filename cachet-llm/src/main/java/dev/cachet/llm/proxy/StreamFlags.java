package dev.cachet.llm.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Whether a chat request asks for a stream ({@code stream}) and a usage chunk
 * ({@code stream_options.include_usage}), read with Jackson's streaming parser: the request
 * has already been parsed once into an {@link dev.cachet.llm.LlmRequest}, and a second tree of
 * a large body would double the memory it costs.
 *
 * @param stream whether {@code "stream": true}
 * @param includeUsage whether {@code "stream_options": {"include_usage": true}}
 */
record StreamFlags(boolean stream, boolean includeUsage) {
  private static final JsonFactory JSON = new JsonFactory();

  /** Reads the flags of a body already known to be a valid JSON object. */
  static StreamFlags of(byte[] body) throws IOException {
    boolean stream = false;
    boolean includeUsage = false;
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new StreamFlags(false, false);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("stream")) {
          stream = value == JsonToken.VALUE_TRUE;
        } else if (name.equals("stream_options") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String option = p.currentName();
            JsonToken v = p.nextToken();
            if (option.equals("include_usage")) {
              includeUsage = v == JsonToken.VALUE_TRUE;
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return new StreamFlags(stream, includeUsage);
  }
}
