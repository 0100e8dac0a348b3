package dev.cachet.llm.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One pass of Jackson's streaming parser over a chat request, before any tree is built: how
 * many JSON values it holds and how deeply nested (a 4 MiB body of {@code [{},{},...]} is a
 * million objects, hundreds of megabytes as a tree), and whether it asks for a stream
 * ({@code stream}) and a usage chunk ({@code stream_options.include_usage}), so the request is
 * parsed into a tree once only.
 *
 * @param object whether the body is a JSON object (a chat request must be)
 * @param stream whether {@code "stream": true}
 * @param includeUsage whether {@code "stream_options": {"include_usage": true}}
 * @param values how many JSON values (objects, arrays, scalars) the body holds
 * @param depth the deepest nesting of objects and arrays
 * @param nonFinite whether a number is too large for a double, such as {@code 1e999} (the
 *     cache's keys would write it as {@code null}, so {@code 1e999}, {@code -1e999} and
 *     {@code null} would share a key)
 */
record RequestScan(boolean object, boolean stream, boolean includeUsage, long values, int depth,
    boolean nonFinite) {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Scans a body.
   *
   * @throws IOException when the body is not valid JSON (the full parse says where)
   */
  static RequestScan of(byte[] body) throws IOException {
    boolean stream = false;
    boolean includeUsage = false;
    long values = 0;
    int depth = 0;
    int deepest = 0;
    boolean object;
    boolean nonFinite = false;
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken token = p.nextToken();
      object = token == JsonToken.START_OBJECT;
      if (token != null) {
        values++;
        deepest = depth = token.isStructStart() ? 1 : 0;
      }
      while ((token = p.nextToken()) != null) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> {
            values++;
            deepest = Math.max(deepest, ++depth);
          }
          case END_OBJECT, END_ARRAY -> depth--;
          case FIELD_NAME -> {
            if (depth == 1 && p.currentName().equals("stream")) {
              stream = p.nextToken() == JsonToken.VALUE_TRUE;
              values++;
            } else if (depth == 2 && p.currentName().equals("include_usage")
                && "stream_options".equals(p.getParsingContext().getParent().getCurrentName())) {
              includeUsage = p.nextToken() == JsonToken.VALUE_TRUE;
              values++;
            }
          }
          case VALUE_NUMBER_FLOAT -> {
            values++;
            nonFinite |= Double.isInfinite(p.getDoubleValue());
          }
          default -> values++;
        }
      }
    }
    return new RequestScan(object, stream, includeUsage, values, deepest, nonFinite);
  }
}
