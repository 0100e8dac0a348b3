package dev.cachet.llm.semantic.bundled;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The public labelled pair sets under {@code src/test/resources/public-pairs/} (provenance and
 * licences in {@code eval/public/README.md}), each pair with its fixed split: {@code train}
 * pairs may train or calibrate, {@code test} pairs are only ever reported.
 */
final class PublicPairs {
  /** The data sets, by file name under public-pairs/. */
  static final List<String> SETS = List.of("mrpc", "stsb", "mqp");

  /** One labelled pair. */
  record Pair(String a, String b, boolean same, String source, String split) {
    boolean train() {
      return split.equals("train");
    }
  }

  static List<Pair> load(String set) {
    ObjectMapper mapper = new ObjectMapper();
    List<Pair> pairs = new ArrayList<>();
    String resource = "/public-pairs/" + set + ".jsonl";
    InputStream stream = PublicPairs.class.getResourceAsStream(resource);
    if (stream == null) {
      throw new IllegalStateException("Missing test resource " + resource);
    }
    try (BufferedReader in = new BufferedReader(new InputStreamReader(stream,
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = mapper.readTree(line);
        pairs.add(new Pair(n.get("a").asText(), n.get("b").asText(), n.get("same").asBoolean(),
            n.get("source").asText(), n.get("split").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pairs;
  }

  static List<Pair> loadAll() {
    List<Pair> all = new ArrayList<>();
    SETS.forEach(s -> all.addAll(load(s)));
    return all;
  }

  private PublicPairs() {
  }
}
