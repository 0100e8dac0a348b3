package dev.cachet.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cachet.codec.CodecRegistry;
import dev.cachet.codec.EntryFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A memoized function's view of its tiers: what it writes, what it leaves for other processes,
 * and what it tells callers about the tiers.
 */
class TierAccessTest {
  private static final String NS = "fn:1:code:type";
  private static final String DIGEST = "d".repeat(64);

  private final StoreContract.ManualClock clock = new StoreContract.ManualClock();
  private final InMemoryStore store = new InMemoryStore(clock::millis);
  private final RemoveCountingStore counted = new RemoveCountingStore(store);

  private TierAccess access(Class<?> declared) {
    return new TierAccess("fn", NS, declared, "type", new Tiers(List.of(counted),
        List.of(StoreTier.of(store))), CodecRegistry.defaults(), 0, List.of("tenant:a"), false,
        clock);
  }

  /** Has no property a JSON codec could write. */
  static final class Opaque {
    @SuppressWarnings("unused")
    private final int secret = 7;
  }

  @Test
  void anEntryWrittenWithACodecThisProcessLacksIsAMissAndStaysForTheProcessThatHasIt() {
    byte[] frame = new EntryFrame("codec-of-another-process", "type", clock.millis(), 0,
        List.of(), "payload".getBytes(StandardCharsets.UTF_8)).encode();
    store.put(NS, DIGEST, frame, 0, List.of());

    assertThat(access(String.class).lookup("k", DIGEST)).isNull();
    assertThat(counted.removes.get()).isZero();
    assertThat(store.get(NS, DIGEST)).isEqualTo(frame);
  }

  @Test
  void aValueNoCodecCanWriteStaysInMemoryOnlyWithoutFailingTheCall() {
    TierAccess access = access(Opaque.class);

    assertThatCode(() -> access.write(DIGEST, new Opaque())).doesNotThrowAnyException();
    assertThat(counted.puts.get()).isZero();
    assertThat(store.get(NS, DIGEST)).isNull();
  }

  @Test
  void writtenEntriesCarryTheFunctionsTagsAndAreReadBack() {
    TierAccess access = access(String.class);
    access.write(DIGEST, "answer");

    assertThat(access.tags()).containsExactly("tenant:a");
    assertThat(EntryFrame.decode(store.get(NS, DIGEST)).tags()).containsExactly("tenant:a");
    TierAccess.Found found = access.lookup("k", DIGEST);
    assertThat(found.value()).isEqualTo("answer");
    assertThat(found.tier()).isSameAs(counted);
    assertThat(access.hitsByTier()).containsExactly(1);
    assertThat(access.coherent()).as("no tier has a bus").isFalse();
  }
}
