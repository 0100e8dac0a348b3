package dev.cachet.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.codec.EntryFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The engine every cache with tiers stands on: per-tier lifetimes at write, at read and on
 * promotion, per-tier counts, damage handled by the store alone, removals published.
 */
class TierEngineTest {
  private static final String NS = "ns";
  private static final String TYPE = "type-1";
  private static final String DIGEST = "a".repeat(64);

  private final StoreContract.ManualClock clock = new StoreContract.ManualClock();
  private final InMemoryStore upper = new InMemoryStore(clock::millis);
  private final InMemoryStore lower = new InMemoryStore(clock::millis);
  private final RemoveCountingStore upperView = new RemoveCountingStore(upper);
  private final RemoveCountingStore lowerView = new RemoveCountingStore(lower);

  /** A tier configuration with no lifetime of its own (the store in it is not the one used). */
  private TierConfig tier() {
    return StoreTier.of(upper);
  }

  private TierEngine engine(TierConfig upperOptions, TierConfig lowerOptions, long defaultMs) {
    return new TierEngine(new Tiers(List.of(upperView, lowerView),
        List.of(upperOptions, lowerOptions)), clock, defaultMs);
  }

  private static String text(EntryFrame frame) {
    return new String(frame.payload(), StandardCharsets.UTF_8);
  }

  private static void put(TierEngine engine, String value, long createdAt) {
    engine.put(NS, DIGEST, "utf8", TYPE, List.of(), value.getBytes(StandardCharsets.UTF_8),
        createdAt);
  }

  @Test
  void eachTierKeepsAnEntryForItsOwnLifetime() {
    TierEngine engine = engine(tier().expireAfterWrite(Duration.ofMinutes(1)),
        tier().expireAfterWrite(Duration.ofHours(1)), 0);
    put(engine, "v", clock.millis());

    clock.advance(Duration.ofMinutes(2));
    TierEngine.Found<String> found = engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text);

    assertThat(found.value()).isEqualTo("v");
    assertThat(found.tier()).isEqualTo(1);
    assertThat(engine.hitsByTier()).containsExactly(0, 1);
    assertThat(engine.missesByTier()).containsExactly(1, 0);
    // Not promoted: the upper tier's lifetime, counted from the write, is over.
    assertThat(upper.get(NS, DIGEST)).isNull();

    clock.advance(Duration.ofHours(1));
    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text)).isNull();
    assertThat(engine.missesByTier()).containsExactly(2, 1);
  }

  @Test
  void aTierWithoutALifetimeOfItsOwnUsesTheDefault() {
    TierEngine engine = engine(tier(),
        tier().expireAfterWrite(Duration.ofDays(1)), 60_000);
    put(engine, "v", clock.millis());

    assertThat(engine.lifetimeMillis(0)).isEqualTo(60_000);
    assertThat(EntryFrame.decode(upper.get(NS, DIGEST)).expiresAtMillis())
        .isEqualTo(clock.millis() + 60_000);
    assertThat(EntryFrame.decode(lower.get(NS, DIGEST)).expiresAtMillis())
        .isEqualTo(clock.millis() + Duration.ofDays(1).toMillis());
  }

  @Test
  void aBoundShortensEveryTiersLifetime() {
    TierEngine engine = engine(tier(),
        tier().expireAfterWrite(Duration.ofDays(1)), 0).bounded(10_000);
    put(engine, "v", clock.millis());

    assertThat(engine.lifetimeMillis(0)).isEqualTo(10_000);
    assertThat(engine.lifetimeMillis(1)).isEqualTo(10_000);
    clock.advance(Duration.ofSeconds(11));
    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text)).isNull();
  }

  @Test
  void aLowerTierHitIsPromotedWithTheUpperTiersLifetimeFromTheOriginalWrite() {
    TierEngine engine = engine(tier().expireAfterWrite(Duration.ofMinutes(10)),
        tier().expireAfterWrite(Duration.ofHours(1)), 0);
    long written = clock.millis();
    put(engine, "v", written);
    upper.remove(NS, DIGEST);

    clock.advance(Duration.ofMinutes(3));
    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text).tier()).isEqualTo(1);

    EntryFrame promoted = EntryFrame.decode(upper.get(NS, DIGEST));
    assertThat(promoted.expiresAtMillis()).isEqualTo(written + Duration.ofMinutes(10).toMillis());
    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text).tier()).isZero();
    assertThat(engine.hitsByTier()).containsExactly(1, 1);
  }

  @Test
  void aTierShortenedAfterTheWriteStopsServingWhatItHolds() {
    put(engine(tier(), tier(), 0), "v", clock.millis());
    TierEngine shortened = engine(
        tier().expireAfterWrite(Duration.ofMinutes(1)), tier(),
        0);

    clock.advance(Duration.ofMinutes(5));
    assertThat(shortened.lookup(NS, DIGEST, TYPE, TierEngineTest::text).tier()).isEqualTo(1);
  }

  @Test
  void aDamagedFrameIsOneMissAndOneRemovalByTheStoreAlone() {
    TierEngine engine = engine(tier(), tier(), 0);
    put(engine, "v", clock.millis());
    upper.remove(NS, DIGEST);
    byte[] frame = lower.get(NS, DIGEST);
    frame[frame.length - 5] ^= 1; // a payload byte, under the checksum
    lower.overwrite(NS, DIGEST, frame);

    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text)).isNull();
    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text)).isNull();

    assertThat(lower.stats().corruptions()).isEqualTo(1);
    assertThat(lowerView.removes.get()).as("removals by the engine").isZero();
    assertThat(engine.missesByTier()).containsExactly(2, 2);
  }

  @Test
  void aStoreReturningSomethingThatIsNotAFrameIsAMissTheEngineLeavesToTheStore() {
    Store broken = new RemoveCountingStore(upper) {
      @Override
      public byte[] get(String namespace, String digest) {
        return "not a frame".getBytes(StandardCharsets.UTF_8);
      }
    };
    TierEngine engine = new TierEngine(new Tiers(List.of(broken), List.of(
        tier())), clock, 0);

    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text)).isNull();
    assertThat(((RemoveCountingStore) broken).removes.get()).isZero();
  }

  @Test
  void anUndecodableValueIsRemovedFromItsTierAndTheNextTierServes() {
    TierEngine engine = engine(tier(), tier(), 0);
    put(engine, "v", clock.millis());
    AtomicInteger calls = new AtomicInteger();

    TierEngine.Found<String> found = engine.lookup(NS, DIGEST, TYPE, frame -> {
      if (calls.getAndIncrement() == 0) {
        throw new IllegalArgumentException("shape changed");
      }
      return text(frame);
    });

    assertThat(found.tier()).isEqualTo(1);
    assertThat(upperView.removes.get()).isEqualTo(1);
    // Promoted again from the tier that could be read.
    assertThat(upper.get(NS, DIGEST)).isNotNull();
  }

  @Test
  void aFrameOfAnotherTypeIsAMissAndStays() {
    TierEngine engine = engine(tier(), tier(), 0);
    put(engine, "v", clock.millis());

    assertThat(engine.lookup(NS, DIGEST, "other-type", TierEngineTest::text)).isNull();
    assertThat(upper.get(NS, DIGEST)).isNotNull();
  }

  @Test
  void removalsLeaveEveryTierAndArePublished() {
    List<Invalidation> published = new ArrayList<>();
    Store shared = new RemoveCountingStore(lower) {
      @Override
      public java.util.Optional<InvalidationBus> invalidationBus() {
        return java.util.Optional.of(new RecordingBus(published));
      }
    };
    TierEngine engine = new TierEngine(new Tiers(List.of(upperView, shared), List.of(
        tier(), tier())), clock, 0);
    put(engine, "v", clock.millis());

    assertThat(engine.remove(NS, DIGEST, "wrong answer")).isTrue();

    assertThat(upper.get(NS, DIGEST)).isNull();
    assertThat(lower.get(NS, DIGEST)).isNull();
    assertThat(published).singleElement().satisfies(i -> {
      assertThat(i.scope()).isEqualTo(Invalidation.Scope.KEY);
      assertThat(i.namespace()).isEqualTo(NS);
      assertThat(i.digest()).isEqualTo(DIGEST);
    });
  }

  @Test
  void aNegativeLifetimeOrBoundIsRefusedAndZeroMeansNoLimit() {
    Tiers tiers = new Tiers(List.of(upperView), List.of(tier()));
    assertThatThrownBy(() -> new TierEngine(tiers, clock, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
    TierEngine engine = new TierEngine(tiers, clock, 0);
    assertThatThrownBy(() -> engine.bounded(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");

    TierEngine unbounded = engine.bounded(0);
    assertThat(unbounded.lifetimeMillis(0)).isZero();
    put(unbounded, "v", clock.millis());
    clock.advance(Duration.ofDays(3650));
    assertThat(unbounded.lookup(NS, DIGEST, TYPE, TierEngineTest::text).value()).isEqualTo("v");
  }

  @Test
  void anEntryStopsBeingServedAtTheExactMillisecondItsTierLifetimeEnds() {
    put(engine(tier(), tier(), 0), "v", clock.millis());
    TierEngine shortened = engine(tier().expireAfterWrite(Duration.ofMinutes(1)), tier(), 0);

    clock.advance(Duration.ofMinutes(1).minusMillis(1));
    assertThat(shortened.lookup(NS, DIGEST, TYPE, TierEngineTest::text).tier()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(shortened.lookup(NS, DIGEST, TYPE, TierEngineTest::text).tier()).isEqualTo(1);
  }

  @Test
  void aHitRewritesOnlyTheTiersAboveTheOneThatServedIt() {
    TierEngine engine = engine(tier(), tier(), 0);
    put(engine, "v", clock.millis());
    upper.remove(NS, DIGEST);
    int upperPuts = upperView.puts.get();
    int lowerPuts = lowerView.puts.get();

    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text).tier()).isEqualTo(1);
    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text).tier()).isZero();

    assertThat(upperView.puts.get() - upperPuts).as("promoted once").isEqualTo(1);
    assertThat(lowerView.puts.get() - lowerPuts).as("the serving tier is not rewritten")
        .isZero();
  }

  @Test
  void aHitIsNotPromotedIntoATierWhoseLifetimeIsOverEvenByOneMillisecond() {
    TierEngine engine = engine(tier().expireAfterWrite(Duration.ofMinutes(10)),
        tier().expireAfterWrite(Duration.ofHours(1)), 0);
    put(engine, "v", clock.millis());
    upper.remove(NS, DIGEST);
    int upperPuts = upperView.puts.get();

    clock.advance(Duration.ofMinutes(10));
    assertThat(engine.lookup(NS, DIGEST, TYPE, TierEngineTest::text).tier()).isEqualTo(1);
    assertThat(upperView.puts.get()).as("nothing written that is dead on arrival")
        .isEqualTo(upperPuts);
  }

  @Test
  void aWriteAlreadyExpiredInATierRemovesWhatThatTierHeldAndWritesNothingThere() {
    TierEngine engine = engine(tier().expireAfterWrite(Duration.ofMinutes(1)),
        tier().expireAfterWrite(Duration.ofHours(1)), 0);
    put(engine, "old", clock.millis());
    int upperPuts = upperView.puts.get();
    int upperRemoves = upperView.removes.get();

    // Created exactly one upper-tier lifetime ago: dead there, alive below.
    put(engine, "late", clock.millis() - Duration.ofMinutes(1).toMillis());

    assertThat(upperView.puts.get()).isEqualTo(upperPuts);
    assertThat(upperView.removes.get() - upperRemoves).isEqualTo(1);
    assertThat(upper.get(NS, DIGEST)).isNull();
    assertThat(text(EntryFrame.decode(lower.get(NS, DIGEST)))).isEqualTo("late");
  }

  @Test
  void anUndecodableValueCountsAsAMissOfItsTier() {
    TierEngine engine = engine(tier(), tier(), 0);
    put(engine, "v", clock.millis());
    AtomicInteger calls = new AtomicInteger();

    engine.lookup(NS, DIGEST, TYPE, frame -> {
      if (calls.getAndIncrement() == 0) {
        throw new IllegalArgumentException("shape changed");
      }
      return text(frame);
    });

    assertThat(engine.missesByTier()).containsExactly(1, 0);
    assertThat(engine.hitsByTier()).containsExactly(0, 1);
  }

  @Test
  void aValueTheDecoderLeavesAloneIsAMissThatStaysForOthers() {
    TierEngine engine = engine(tier(), tier(), 0);
    put(engine, "v", clock.millis());
    AtomicInteger calls = new AtomicInteger();

    TierEngine.Found<String> found = engine.lookup(NS, DIGEST, TYPE,
        frame -> calls.getAndIncrement() == 0 ? null : text(frame));

    assertThat(found.tier()).isEqualTo(1);
    assertThat(found.value()).isEqualTo("v");
    assertThat(engine.missesByTier()).containsExactly(1, 0);
    assertThat(upperView.removes.get()).as("left for a reader that can decode it").isZero();
  }

  @Test
  void peekReadsOneTiersLiveEntryWithoutPromotingOrCounting() {
    TierEngine engine = engine(tier().expireAfterWrite(Duration.ofMinutes(1)), tier(), 0);
    put(engine, "v", clock.millis());
    upper.remove(NS, DIGEST);

    assertThat(engine.peek(0, NS, DIGEST, TYPE)).isNull();
    assertThat(text(engine.peek(1, NS, DIGEST, TYPE))).isEqualTo("v");
    assertThat(engine.peek(1, NS, DIGEST, "other-type")).isNull();
    assertThat(upper.get(NS, DIGEST)).as("not promoted").isNull();
    assertThat(engine.hitsByTier()).containsExactly(0, 0);
    assertThat(engine.missesByTier()).containsExactly(0, 0);
  }

  @Test
  void removingWhatNoTierHoldsSaysSoAndIsStillPublished() {
    List<Invalidation> published = new ArrayList<>();
    Store shared = new RemoveCountingStore(lower) {
      @Override
      public java.util.Optional<InvalidationBus> invalidationBus() {
        return java.util.Optional.of(new RecordingBus(published));
      }
    };
    TierEngine engine = new TierEngine(new Tiers(List.of(upperView, shared), List.of(
        tier(), tier())), clock, 0);

    assertThat(engine.remove(NS, DIGEST, "cleanup")).isFalse();
    assertThat(published).hasSize(1);
  }

  @Test
  void anEngineIsCoherentExactlyWhenATierHasABus() {
    List<java.util.function.Consumer<Invalidation>> subscribed = new ArrayList<>();
    InvalidationBus bus = new InvalidationBus() {
      @Override
      public void publish(Invalidation invalidation) {
      }

      @Override
      public void subscribe(java.util.function.Consumer<Invalidation> receiver) {
        subscribed.add(receiver);
      }

      @Override
      public List<Invalidation> recent(int limit) {
        return List.of();
      }

      @Override
      public void close() {
      }
    };
    Store withBus = new RemoveCountingStore(lower) {
      @Override
      public java.util.Optional<InvalidationBus> invalidationBus() {
        return java.util.Optional.of(bus);
      }
    };

    assertThat(engine(tier(), tier(), 0).coherent()).isFalse();
    assertThat(new Tiers(List.of(upperView), List.of(tier())).coherent()).isFalse();
    TierEngine coherent = new TierEngine(new Tiers(List.of(upperView, withBus),
        List.of(tier(), tier())), clock, 0);
    assertThat(coherent.coherent()).isTrue();

    java.util.function.Consumer<Invalidation> receiver = i -> { };
    coherent.subscribe(receiver);
    assertThat(subscribed).containsExactly(receiver);
  }

  @Test
  void aBusThatThrowsDoesNotFailARemovalAndTheOtherBusesStillHearIt() {
    List<Invalidation> heard = new ArrayList<>();
    Store first = new RemoveCountingStore(upper) {
      @Override
      public java.util.Optional<InvalidationBus> invalidationBus() {
        return java.util.Optional.of(new InvalidationBus() {
          @Override
          public void publish(Invalidation invalidation) {
            throw new IllegalStateException("bus down");
          }

          @Override
          public void subscribe(java.util.function.Consumer<Invalidation> receiver) {
          }

          @Override
          public List<Invalidation> recent(int limit) {
            return List.of();
          }

          @Override
          public void close() {
          }
        });
      }
    };
    Store second = new RemoveCountingStore(lower) {
      @Override
      public java.util.Optional<InvalidationBus> invalidationBus() {
        return java.util.Optional.of(new RecordingBus(heard));
      }
    };
    TierEngine engine = new TierEngine(new Tiers(List.of(first, second),
        List.of(tier(), tier())), clock, 0);

    engine.remove(NS, DIGEST, "wrong answer");

    assertThat(heard).singleElement().satisfies(i -> assertThat(i.digest()).isEqualTo(DIGEST));
  }

  @Test
  void tiersNeedOneConfigurationPerStoreAndNoneIsEmpty() {
    assertThatThrownBy(() -> new Tiers(List.of(upperView, lowerView), List.of(tier())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one TierConfig per store");
    assertThat(Tiers.none().isEmpty()).isTrue();
    assertThat(Tiers.none().stores()).isEmpty();
    assertThat(new Tiers(List.of(upperView), List.of(tier())).isEmpty()).isFalse();
  }

  @Test
  void anEngineDescribesItsStoresInOrder() {
    TierEngine engine = new TierEngine(new Tiers(List.of(new RemoveCountingStore(upper) {
      @Override
      public String describe() {
        return "fast";
      }
    }, new RemoveCountingStore(lower) {
      @Override
      public String describe() {
        return "slow";
      }
    }), List.of(tier(), tier())), clock, 0);

    assertThat(engine.toString()).isEqualTo("TierEngine[fast, slow]");
  }

  /** A bus that records what is published. */
  private record RecordingBus(List<Invalidation> published) implements InvalidationBus {
    @Override
    public void publish(Invalidation invalidation) {
      published.add(invalidation);
    }

    @Override
    public void subscribe(java.util.function.Consumer<Invalidation> receiver) {
    }

    @Override
    public List<Invalidation> recent(int limit) {
      return List.of();
    }

    @Override
    public void close() {
    }
  }
}
