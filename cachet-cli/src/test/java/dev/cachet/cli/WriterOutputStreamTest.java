package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WriterOutputStreamTest {

  @Test
  void aCharacterSplitAcrossWritesArrivesWhole() throws Exception {
    StringWriter text = new StringWriter();
    byte[] bytes = "12 \u00b5s \u2713".getBytes(StandardCharsets.UTF_8);
    try (WriterOutputStream out = new WriterOutputStream(text, StandardCharsets.UTF_8)) {
      for (byte b : bytes) {
        out.write(b);
      }
    }
    assertThat(text.toString()).isEqualTo("12 \u00b5s \u2713");
  }

  @Test
  void longWritesPassThroughInChunks() throws Exception {
    StringWriter text = new StringWriter();
    String long1 = "\u00e9t\u00e9 ".repeat(1000);
    try (WriterOutputStream out = new WriterOutputStream(text, StandardCharsets.UTF_8)) {
      out.write(long1.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(text.toString()).isEqualTo(long1);
  }
}
