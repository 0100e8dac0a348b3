package dev.cachet.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What the tier SPI promises a store or bus that implements only the required methods: no
 * circuit breaker, no replay, zero counts; and what an invalidation message must carry.
 */
class TierContractDefaultsTest {

  /** A bus with only the required methods. */
  private static final class MinimalBus implements InvalidationBus {
    @Override
    public void publish(Invalidation invalidation) {
    }

    @Override
    public void subscribe(Consumer<Invalidation> receiver) {
    }

    @Override
    public List<Invalidation> recent(int limit) {
      return List.of();
    }

    @Override
    public void close() {
    }
  }

  @Test
  void aBusWithoutALogCannotReplayAndCountsNothing() {
    try (InvalidationBus bus = new MinimalBus()) {
      assertThat(bus.position()).isNull();
      assertThat(bus.replayFrom("0-0")).isFalse();
      assertThat(bus.counts()).isEqualTo(InvalidationCounts.NONE)
          .isEqualTo(new InvalidationCounts(0, 0, 0, 0));
    }
  }

  @Test
  void aStoreWithoutABreakerIsNeverOpen() {
    try (Store store = new InMemoryStore()) {
      assertThat(store.isCircuitOpen()).isFalse();
    }
  }

  @Test
  void eachScopeCarriesWhatItNeeds() {
    Invalidation key = Invalidation.key("ns", "d1", "edited");
    assertThat(key.scope()).isEqualTo(Invalidation.Scope.KEY);
    assertThat(key.namespace()).isEqualTo("ns");
    assertThat(key.digest()).isEqualTo("d1");
    assertThat(key.reason()).isEqualTo("edited");
    assertThat(key.origin()).isNull();
    assertThat(Invalidation.namespace("ns", "r").scope()).isEqualTo(Invalidation.Scope.NAMESPACE);
    assertThat(Invalidation.tag("t", "r").tag()).isEqualTo("t");
    assertThat(Invalidation.all("r").scope()).isEqualTo(Invalidation.Scope.ALL);
    assertThatThrownBy(() -> Invalidation.key("ns", null, "r"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("digest");
    assertThatThrownBy(() -> Invalidation.key(null, "d", "r"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("namespace");
    assertThatThrownBy(() -> Invalidation.namespace(null, "r"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Invalidation.tag(null, "r"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Invalidation.all(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void anOriginIsAddedWithoutChangingTheMessage() {
    Invalidation tag = Invalidation.tag("t", "r");
    Invalidation stamped = tag.withOrigin("host-1");
    assertThat(stamped.origin()).isEqualTo("host-1");
    assertThat(stamped.withOrigin(null)).isEqualTo(tag);
  }
}
