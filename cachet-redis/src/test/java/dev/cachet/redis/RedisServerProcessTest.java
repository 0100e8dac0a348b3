package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The test harness's own server: when the port it picked is taken before it binds (another
 * build's server, seen once when two builds ran side by side), it must not mistake the other
 * server for its own.
 */
class RedisServerProcessTest {

  @Test
  void aPortTakenByAnotherServerMovesTheNewServerElsewhere() {
    try (RedisServerProcess other = RedisServerProcess.start();
        RedisServerProcess mine = RedisServerProcess.startOn(other.port())) {
      assertThat(mine.port()).isNotEqualTo(other.port());
      assertThat(mine.isAlive()).isTrue();
      mine.kill();
      assertThat(RedisServerProcess.answers(other.port())).as("the other one is untouched")
          .isTrue();
      assertThat(RedisServerProcess.answers(mine.port())).isFalse();
    }
  }
}
