package dev.cachet.llm.semantic.bundled;

import dev.cachet.Cachet;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.Lookup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The other process of {@link LlmCoherenceTest}: an {@link LlmCache} with the bundled model on
 * a Cachet of its own (its own memory) over the shared Redis. Prints {@code ready}, then
 * answers each {@code lookup PROMPT} line read from stdin with
 * {@code lookup OUTCOME ENTRY_ID CONTENT}; exits at the end of its input.
 */
public final class LlmCoherenceChild {
  private LlmCoherenceChild() {
  }

  /**
   * Runs the child.
   *
   * @param args the Redis store URI (with the test's prefix)
   * @throws Exception when the protocol breaks; the test then reads the stack trace
   */
  public static void main(String[] args) throws Exception {
    try (Cachet cachet = Cachet.builder().redis(args[0]).build()) {
      // This test is about deletions reaching it, not about how long a first read may take
      // on a loaded machine: let the first lookup wait for what Redis holds.
      LlmCache llm = LlmCache.builder(cachet).semantic()
          .semanticFirstReadWait(java.time.Duration.ofSeconds(30)).build();
      System.out.println("ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("lookup ")) {
          Lookup l = llm.lookup(LlmCoherenceTest.ask(line.substring(7)));
          System.out.println("lookup " + l.outcome() + " " + l.entryId() + " "
              + (l.response() == null ? "-" : l.response().content()));
        }
      }
    }
  }
}
