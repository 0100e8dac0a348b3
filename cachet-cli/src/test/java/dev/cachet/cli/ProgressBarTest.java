package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final StringWriter text = new StringWriter();
  private long now = 1_000_000_000L;
  private final ProgressBar bar = new ProgressBar(new PrintWriter(text), () -> now);

  @Test
  void drawsAtMostTenTimesASecond() {
    bar.update("LRU, size 10", 10, 100);
    assertThat(text.toString()).as("nothing in the first tenth of a second").isEmpty();

    now += 100_000_000L;
    bar.update("LRU, size 10", 50, 100);
    now += 10_000_000L;
    bar.update("LRU, size 10", 60, 100);

    assertThat(text.toString()).isEqualTo(
        "\rsimulating [###############...............]  50%  LRU, size 10");
  }

  @Test
  void finishErasesTheBarOnlyIfDrawn() {
    bar.finish();
    assertThat(text.toString()).isEmpty();

    now += 200_000_000L;
    bar.update("OPT, size 5", 100, 100);
    bar.finish();

    String drawn = "simulating [##############################] 100%  OPT, size 5";
    assertThat(text.toString())
        .isEqualTo("\r" + drawn + "\r" + " ".repeat(drawn.length()) + "\r");
  }

  @Test
  void aShorterLineCoversTheRestOfTheLongerOne() {
    now += 200_000_000L;
    bar.update("ADAPTIVE, size 1000", 1, 100);
    now += 200_000_000L;
    bar.update("OPT, size 1", 2, 100);

    String second = text.toString().substring(text.toString().lastIndexOf('\r') + 1);
    assertThat(second).hasSize("simulating [".length() + 30 + "]   2%  ADAPTIVE, size 1000".length());
  }
}
