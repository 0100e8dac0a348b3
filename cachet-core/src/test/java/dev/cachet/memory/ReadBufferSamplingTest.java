package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The read sampling of a store that may drop reads (SHADOW_TUNED): a thread records every read
 * until it has had to drop one behind another thread's drain, then one in 2, 4, 8 and at most
 * 16, and every drain it makes without waiting halves that again, back to every read. Only the
 * thread that met contention samples; a thread alone never does, which keeps single-threaded
 * evictions exact and deterministic.
 */
class ReadBufferSamplingTest {

  /** Offers {@code n} reads and drains them; returns the tickets that were recorded. */
  private static List<Long> offerAndDrain(ReadBuffer buffer, int n, long firstTicket) {
    List<Long> recorded = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      assertThat(buffer.offer(firstTicket + i)).isNotEqualTo(ReadBuffer.FULL);
      if (i % 16 == 15) {
        buffer.drain(recorded::add);
      }
    }
    buffer.drain(recorded::add);
    return recorded;
  }

  @Test
  void aThreadRecordsEveryReadUntilItMeetsContention() {
    ReadBuffer buffer = new ReadBuffer();
    assertThat(offerAndDrain(buffer, 200, 1)).hasSize(200);
    buffer.uncontended(); // a drain without waiting changes nothing for an exact thread
    assertThat(offerAndDrain(buffer, 200, 1_000)).hasSize(200);
  }

  @Test
  void eachDroppedReadHalvesTheSampleDownToOneReadInSixteen() {
    ReadBuffer buffer = new ReadBuffer();
    assertThat(offerAndDrain(buffer, 1, 1)).hasSize(1); // the thread's ring exists
    int[] expected = {128, 64, 32, 16, 16, 16};
    for (int round = 0; round < expected.length; round++) {
      buffer.contended();
      assertThat(offerAndDrain(buffer, 256, 1_000L * (round + 1)))
          .as("after %d dropped reads", round + 1).hasSize(expected[round]);
    }
  }

  @Test
  void drainsWithoutWaitingBringBackEveryRead() {
    ReadBuffer buffer = new ReadBuffer();
    offerAndDrain(buffer, 1, 1);
    for (int i = 0; i < 4; i++) {
      buffer.contended();
    }
    assertThat(offerAndDrain(buffer, 256, 1_000)).hasSize(16);
    buffer.uncontended();
    assertThat(offerAndDrain(buffer, 256, 2_000)).hasSize(32);
    buffer.uncontended();
    buffer.uncontended();
    buffer.uncontended();
    assertThat(offerAndDrain(buffer, 256, 3_000)).hasSize(256);
  }

  @Test
  void anotherThreadsContentionDoesNotSampleThisThreadsReads() throws Exception {
    ReadBuffer buffer = new ReadBuffer();
    offerAndDrain(buffer, 1, 1);
    Thread other = new Thread(() -> {
      buffer.offer(99);
      for (int i = 0; i < 4; i++) {
        buffer.contended();
      }
    });
    other.start();
    other.join(10_000);
    List<Long> recorded = new ArrayList<>();
    buffer.drain(recorded::add); // the other thread's read
    assertThat(offerAndDrain(buffer, 256, 1_000)).hasSize(256);
  }
}
