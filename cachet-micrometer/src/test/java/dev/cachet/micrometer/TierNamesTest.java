package dev.cachet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tier tag values never carry the credentials a store's description may echo. */
class TierNamesTest {

  @Test
  void userAndPasswordAreRemovedFromEveryUriInADescription() {
    assertThat(TierNames.tagValue("redis:redis://alice:s3cret@10.0.0.1:6379 (prefix cachet:)"))
        .isEqualTo("redis:redis://10.0.0.1:6379 (prefix cachet:)");
    assertThat(TierNames.tagValue("redis:rediss://:s3cret@a:6379,b:6380/2"))
        .isEqualTo("redis:rediss://a:6379,b:6380/2");
    assertThat(TierNames.tagValue("redis:redis-sentinel://alice@s1:26379?master=main"))
        .isEqualTo("redis:redis-sentinel://s1:26379?master=main");
  }

  @Test
  void descriptionsWithoutUserInformationAreKeptAsTheyAre() {
    assertThat(TierNames.tagValue("disk:/var/cache/app@2")).isEqualTo("disk:/var/cache/app@2");
    assertThat(TierNames.tagValue("redis:redis://127.0.0.1:6379 (prefix a@b)"))
        .isEqualTo("redis:redis://127.0.0.1:6379 (prefix a@b)");
    assertThat(TierNames.tagValue("memory")).isEqualTo("memory");
    assertThat(TierNames.tagValue(null)).isEqualTo("unknown");
  }
}
