package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.tier.Invalidation;
import org.junit.jupiter.api.Test;

/** The version-1 message body, without Redis. */
class InvalidationMessagesTest {

  @Test
  void roundTripsEveryScope() throws Exception {
    for (Invalidation i : new Invalidation[] {
        Invalidation.key("fn:1:ab:cd", "3f2a", "invalidate"),
        Invalidation.namespace("fn:1:ab:cd", "cacheClear"),
        Invalidation.tag("tenant \"42\"", "ünïcode and \n newlines"),
        Invalidation.all("flush")}) {
      Invalidation sent = i.withOrigin("42@host/0badcafe");
      assertThat(InvalidationMessages.decode(InvalidationMessages.encode(sent))).isEqualTo(sent);
    }
  }

  @Test
  void isCompactAndLeavesOutUnusedFields() {
    String body = InvalidationMessages.encode(
        new Invalidation(Invalidation.Scope.TAG, null, null, "t", "r", "1@h/i", 7));
    assertThat(body).isEqualTo(
        "{\"v\":1,\"scope\":\"TAG\",\"tag\":\"t\",\"reason\":\"r\",\"origin\":\"1@h/i\",\"at\":7}");
  }

  @Test
  void ignoresFieldsItDoesNotKnow() throws Exception {
    Invalidation i = InvalidationMessages.decode(
        "{\"v\":1,\"scope\":\"NAMESPACE\",\"ns\":\"n\",\"reason\":\"r\",\"at\":5,\"future\":[1]}");
    assertThat(i).isEqualTo(new Invalidation(Invalidation.Scope.NAMESPACE, "n", null, null, "r",
        null, 5));
  }

  @Test
  void rejectsOtherVersionsAndIncompleteMessagesWithTheReason() {
    assertThatThrownBy(() -> InvalidationMessages.decode("{\"v\":2,\"scope\":\"ALL\"}"))
        .hasMessageContaining("format version 2");
    assertThatThrownBy(() -> InvalidationMessages.decode(
        "{\"v\":1,\"scope\":\"KEY\",\"ns\":\"n\"}"))
        .hasMessageContaining("digest");
    assertThatThrownBy(() -> InvalidationMessages.decode("{\"v\":1,\"scope\":\"SOME\"}"))
        .hasMessageContaining("unknown scope");
    assertThatThrownBy(() -> InvalidationMessages.decode("not json"))
        .hasMessageContaining("not JSON");
  }

  @Test
  void streamIdsCompareNumerically() {
    assertThat(StreamIds.compare("9-0", "10-0")).isNegative();
    assertThat(StreamIds.compare("10-2", "10-10")).isNegative();
    assertThat(StreamIds.compare("10-2", "10-2")).isZero();
    assertThat(StreamIds.max("1700000000000-5", StreamIds.ZERO)).isEqualTo("1700000000000-5");
  }
}
