package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.llm.FinishReason;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.ToolCall;
import dev.cachet.llm.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAssemblerTest {

  private static StreamAssembler feedByteByByte(String sse) {
    StreamAssembler assembler = new StreamAssembler(1 << 20);
    byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      assembler.feed(bytes, i, 1); // splits every multi-byte character
    }
    assembler.finish();
    return assembler;
  }

  @Test
  void aReplayedStreamAssemblesBackToTheSameAnswer() {
    LlmResponse original = new LlmResponse("chatcmpl-1", "gpt-4o-mini",
        "Crème brûlée, 東京, and emoji 🙂 in one answer that spans several chunks.",
        List.of(new ToolCall("call_1", "lookup", "{\"city\":\"東京\"}")), FinishReason.STOP,
        Usage.of(5, 7));
    String sse = new String(Replay.stream(original, List.of(), "ignored", true),
        StandardCharsets.UTF_8);

    StreamAssembler assembler = feedByteByByte(sse);

    assertThat(assembler.whyNot()).isNull();
    assertThat(assembler.complete()).isEqualTo(original);
    assertThat(String.join("", assembler.pieces())).isEqualTo(original.content());
    assertThat(assembler.pieces()).hasSizeGreaterThan(1);
  }

  @Test
  void storedPiecesAreReplayedAsTheyWereStreamed() {
    LlmResponse answer = LlmResponse.text("Hello there");
    String sse = new String(Replay.stream(answer, List.of("Hel", "lo ", "there"), "m", false),
        StandardCharsets.UTF_8);
    assertThat(sse).contains("\"content\":\"Hel\"", "\"content\":\"lo \"",
        "\"content\":\"there\"", "\"model\":\"m\"").endsWith("data: [DONE]\n\n");
  }

  @Test
  void aStreamWithoutDoneIsNotComplete() {
    StreamAssembler assembler = feedByteByByte(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
            + "\"finish_reason\":\"stop\"}]}\n\n");
    assertThat(assembler.complete()).isNull();
    assertThat(assembler.whyNot()).contains("[DONE]");
  }

  @Test
  void anInStreamErrorIsNeverComplete() {
    StreamAssembler assembler = feedByteByByte(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
            + "\"finish_reason\":null}]}\n\n"
            + "data: {\"error\":{\"message\":\"overloaded\"}}\n\n"
            + "data: [DONE]\n\n");
    assertThat(assembler.complete()).isNull();
    assertThat(assembler.whyNot()).contains("error");
  }

  @Test
  void crlfLinesAndCommentsAreRead() {
    StreamAssembler assembler = feedByteByByte(
        ": keep-alive\r\n\r\n"
            + "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"},"
            + "\"finish_reason\":\"stop\"}]}\r\n\r\n"
            + "data: [DONE]\r\n\r\n");
    assertThat(assembler.complete()).isNotNull()
        .extracting(LlmResponse::content).isEqualTo("A");
  }

  @Test
  void piecesJoinBackToTheText() {
    String text = "one two  three four five six seven eight nine\nten";
    assertThat(String.join("", Replay.pieces(text))).isEqualTo(text);
    assertThat(Replay.pieces("")).containsExactly("");
  }
}
