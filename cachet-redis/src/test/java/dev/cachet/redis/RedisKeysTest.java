package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
  private final RedisKeys keys = new RedisKeys("p");

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void layout() {
    assertThat(new String(keys.entry("fn:1:abc:def", 42, "00ff"), StandardCharsets.UTF_8))
        .isEqualTo("p:fn:1:abc:def:42:00ff");
    assertThat(new String(keys.version("fn:1"), StandardCharsets.UTF_8))
        .isEqualTo("p:nsver:{fn:1}");
    assertThat(new String(keys.tag("tenant-42"), StandardCharsets.UTF_8))
        .isEqualTo("p:tag:{tenant-42}");
    assertThat(new String(keys.namespacePattern("a*b?[c]\\"), StandardCharsets.UTF_8))
        .isEqualTo("p:a\\*b\\?\\[c\\]\\\\:*");
  }

  @Test
  void namespacesThatArePrefixesOfOneAnotherStayApart() {
    byte[] f = keys.namespacePrefix("f");
    assertThat(keys.versionOf(b("p:f:7:00ab"), f)).isEqualTo(7);
    assertThat(keys.versionOf(b("p:f:1:7:00ab"), f)).isEqualTo(-1); // namespace "f:1"
    assertThat(keys.versionOf(b("p:f:x:00ab"), f)).isEqualTo(-1);
    assertThat(keys.versionOf(b("p:f:7:"), f)).isEqualTo(-1);
    assertThat(keys.versionOf(b("p:f:7:a}"), f)).isEqualTo(-1);
    assertThat(RedisKeys.digestOf(b("p:f:7:00ab"), keys.versionPrefix("f", 7))).isEqualTo("00ab");
    assertThat(RedisKeys.digestOf(b("p:f:7:00:ab"), keys.versionPrefix("f", 7))).isNull();
  }

  @Test
  void ownKeysExcludeLocksAndTheInvalidationLog() {
    assertThat(keys.isOwnKey(b("p:fn:1:abc:9:00ff"))).isTrue();
    assertThat(keys.isOwnKey(b("p::9:00ff"))).isTrue();
    assertThat(keys.isOwnKey(b("p:nsver:{fn}"))).isTrue();
    assertThat(keys.isOwnKey(b("p:tag:{t}"))).isTrue();
    assertThat(keys.isOwnKey(b("p:tag:{t}:removing:1234"))).isTrue();
    assertThat(keys.isOwnKey(b("p:lock:{fn:1}:00ff"))).isFalse();
    assertThat(keys.isOwnKey(b("p:lock:released"))).isFalse();
    assertThat(keys.isOwnKey(b("p:inv:log"))).isFalse();
    assertThat(keys.isOwnKey(b("q:fn:9:00ff"))).isFalse();
    assertThat(keys.isOwnKey(b("pp:fn:9:00ff"))).isFalse();
  }
}
