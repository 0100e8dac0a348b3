package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cachet eval --pairs FILE}: the table a team calibrates with, and its chart. */
class EvalCommandTest {

  @TempDir
  Path dir;

  @Test
  void printsPrecisionAndRecallPerThresholdAndWritesAChart() throws Exception {
    Path pairs = dir.resolve("pairs.jsonl");
    Files.writeString(pairs, String.join("\n",
        "{\"a\": \"How do I reverse a list in Python?\", \"b\": \"How can I reverse a Python "
            + "list?\", \"label\": 1}",
        "{\"a\": \"What is the capital of France?\", \"b\": \"Which city is the capital of "
            + "France?\", \"label\": 1}",
        "{\"a\": \"What is 2 plus 2?\", \"b\": \"What is 3 plus 3?\", \"label\": 0}",
        "",
        "{\"a\": \"How do I bake bread?\", \"b\": \"Who won the 1998 World Cup?\", \"same\": "
            + "false}"));
    Path chart = dir.resolve("pr.html");

    CliRun run = CliRun.of("eval", "--pairs", pairs.toString(), "--chart", chart.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    String shipped = String.format(java.util.Locale.ROOT, "%.2f",
        dev.cachet.llm.semantic.Verifier.bundled().decisionThreshold());
    assertThat(run.out()).contains("4 pairs (2 labelled the same)")
        .contains("Default decision: similarity >= 0.70, guard, verifier")
        .contains("probability  precision  recall")
        .contains("Without the verifier (noVerifier())")
        .contains("similarity  precision  recall").contains("0.80").contains("(default)")
        .contains("Chart: ");
    String html = Files.readString(chart);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("<polyline")
        .contains("default " + shipped).contains("verifier probability threshold")
        .doesNotContain("<script").doesNotContain("http://cdn");
  }

  @Test
  void aMalformedLineIsNamedWithItsNumber() throws Exception {
    Path pairs = dir.resolve("bad.jsonl");
    Files.writeString(pairs, "{\"a\": \"x\", \"b\": \"y\", \"label\": 1}\n{\"a\": \"x\"}\n");

    CliRun run = CliRun.of("eval", "--pairs", pairs.toString(), "--chart",
        dir.resolve("c.html").toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("line 2").contains("\"label\"");
  }

  @Test
  void aLabelOtherThanZeroOrOneIsRefused() throws Exception {
    Path pairs = dir.resolve("label.jsonl");
    Files.writeString(pairs, "{\"a\": \"x\", \"b\": \"y\", \"label\": 3}\n");

    CliRun run = CliRun.of("eval", "--pairs", pairs.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("line 1").contains("0, 1, true or false");
  }
}
