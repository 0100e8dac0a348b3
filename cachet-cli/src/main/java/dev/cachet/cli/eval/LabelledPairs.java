package dev.cachet.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads labelled prompt pairs from JSON lines. */
public final class LabelledPairs {

  /**
   * One labelled pair: {@code stored} plays the cached prompt, {@code query} the new one.
   *
   * @param query the new prompt
   * @param stored the cached prompt
   * @param same whether the cached answer is right for the new prompt
   */
  public record Pair(String query, String stored, boolean same) {
  }

  private LabelledPairs() {
  }

  /**
   * Reads a file of JSON lines such as
   * {@code {"a": "How do I learn Java?", "b": "How can I learn Java?", "label": 1}}. The label
   * is 1/0 or true/false, under {@code label} or {@code same}; blank lines are skipped.
   *
   * @param file the file
   * @return the pairs, in file order
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the line when a line is not such an object
   */
  public static List<Pair> read(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<Pair> pairs = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = mapper.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(file + " line " + number + " is not JSON: "
              + e.getOriginalMessage());
        }
        JsonNode a = n.get("a");
        JsonNode b = n.get("b");
        JsonNode label = n.has("label") ? n.get("label") : n.get("same");
        if (a == null || b == null || !a.isTextual() || !b.isTextual() || label == null) {
          throw new IllegalArgumentException(file + " line " + number + " needs \"a\" and \"b\" "
              + "(texts) and \"label\" (0 or 1), such as {\"a\": \"How do I learn Java?\", "
              + "\"b\": \"How can I learn Java?\", \"label\": 1}");
        }
        boolean same;
        if (label.isBoolean()) {
          same = label.asBoolean();
        } else if (label.isInt() && (label.asInt() == 0 || label.asInt() == 1)) {
          same = label.asInt() == 1;
        } else {
          throw new IllegalArgumentException(file + " line " + number + ": the label must be 0, "
              + "1, true or false, got " + label);
        }
        pairs.add(new Pair(a.asText(), b.asText(), same));
      }
    }
    return pairs;
  }
}
