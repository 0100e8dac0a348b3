package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.boot.CachetAutoConfiguration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.util.ClassUtils;

/**
 * The starter names Boot's cache auto-configuration by string (Boot 4 moved it): check that on
 * the Boot under test one of the names is the real class, so the ordering is not a dead letter.
 */
class AutoConfigurationOrderTest {
  @Test
  void theStarterRunsBeforeTheCacheAutoConfigurationOfThisBoot() {
    String[] before = CachetAutoConfiguration.class.getAnnotation(AutoConfiguration.class)
        .beforeName();
    assertThat(Arrays.stream(before)
        .filter(name -> ClassUtils.isPresent(name, getClass().getClassLoader())))
        .as("Boot's CacheAutoConfiguration among %s", Arrays.toString(before))
        .hasSize(1);
  }
}
