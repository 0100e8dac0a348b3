package dev.cachet.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  private static String output;
  private static long millis;

  @TempDir
  static Path store;

  @BeforeAll
  static void runDemoOnce() {
    long start = System.nanoTime();
    output = run(store);
    millis = (System.nanoTime() - start) / 1_000_000;
  }

  private static String run(Path storeDirectory) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8), storeDirectory).run();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theSecondRunGetsTheSlowCallFromDisk(@TempDir Path fresh) {
    String first = run(fresh);
    assertThat(first).contains("MISS: computed, and now stored on disk");
    String second = run(fresh);
    assertThat(second).contains("HIT from disk: an earlier run of the demo computed it");
    assertThat(output).doesNotContain("(skipped: the disk store");
  }

  private static List<String> lines(String containing) {
    return output.lines().filter(l -> l.contains(containing)).map(String::strip)
        .collect(Collectors.toList());
  }

  @Test
  void factorialComputesEachStepOnceAndReusesTheCache() {
    assertThat(lines("computing factorial(")).containsExactly(
        "computing factorial(10)", "computing factorial(9)", "computing factorial(8)",
        "computing factorial(7)", "computing factorial(6)", "computing factorial(5)",
        "computing factorial(4)", "computing factorial(3)", "computing factorial(2)",
        "computing factorial(1)",
        "computing factorial(12)", "computing factorial(11)");
    assertThat(output).contains("= 3628800", "= 479001600");
    assertThat(output).contains(
        "factorial.cacheInfo() -> CacheInfo(hits=1, misses=12, maxsize=10000, currsize=12)");
  }

  @Test
  void theSlowCallRunsOnceAndIsThenServedFromTheCache() {
    assertThat(lines("1st call:")).singleElement().asString().containsPattern("\\d+\\.\\d ms");
    assertThat(lines("2nd call:")).singleElement().asString().contains("from the cache");
    assertThat(lines("more calls:")).singleElement().asString().contains("10,000", "on average");
    assertThat(output).containsPattern("A cached call was about [\\d,]+x faster");
    assertThat(output).contains("ask.cacheInfo() -> CacheInfo(hits=10001, misses=1,");
  }

  @Test
  void theShortTtlSearchMissesHitsThenMissesAfterExpiry() {
    List<String> calls = lines("search(\"python\")");

    assertThat(calls).hasSize(3);
    assertThat(calls.get(0)).contains(" MISS ");
    assertThat(calls.get(1)).contains(" HIT ");
    assertThat(calls.get(2)).contains(" MISS ", "expired");
    assertThat(output).contains("search.stats(): hits=1, misses=2, loads=2,");
  }

  @Test
  void theProxyCachesOnlyTheAnnotatedMethod() {
    assertThat(lines("forecast(\"Paris\") twice")).singleElement().asString()
        .contains("ran once");
    assertThat(lines("temperature(\"Paris\") twice")).singleElement().asString()
        .contains("ran 2 times");
  }

  @Test
  void theLlmSceneShowsAnExactHitAParaphraseAndNearMissesTheGuardAndTheVerifierRefuse() {
    List<String> capital = lines("capital of France?\"  ");
    assertThat(capital).hasSize(3);
    assertThat(capital.get(0)).contains(" MISS ", "\"Paris.\"");
    assertThat(capital.get(1)).contains(" EXACT HIT ");
    assertThat(capital.get(2)).contains("Which city", " SEMANTIC HIT ", "\"Paris.\"");
    assertThat(output).containsPattern("matched \"What is the capital of France\\?\", "
        + "similarity 0\\.\\d\\d");
    assertThat(lines("Convert 12 miles")).singleElement().asString()
        .contains(" MISS ", "12 miles is 19.3 km.");
    assertThat(lines("for data science?\"")).singleElement().asString()
        .contains(" MISS ", "Learn pandas");
    assertThat(lines("not reused:")).hasSize(2)
        .anySatisfy(l -> assertThat(l).contains("guard rejected", "rule: numbers"))
        .anySatisfy(l -> assertThat(l).contains("verifier rejected", "probability"));
    assertThat(output).contains("The model ran 5 times for 7 questions",
        "the verifier a narrower question");
  }

  @Test
  void theWholeDemoIsQuick() {
    // About 3 s: the LLM scene loads a local embedding model (a second or two on two cores);
    // the margin is for a machine shared with other builds.
    assertThat(millis).isLessThan(10_000);
  }
}
