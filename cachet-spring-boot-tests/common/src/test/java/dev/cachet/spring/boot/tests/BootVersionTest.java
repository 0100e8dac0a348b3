package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/** Each test module runs these tests on its own Spring Boot: check it is the one in use. */
class BootVersionTest {
  @Test
  void theApplicationsRunOnTheBootThisModuleIsFor() {
    String expected = System.getProperty("cachet.boot.expected");
    assertThat(expected).as("set by the module's surefire configuration").isNotBlank();
    assertThat(SpringBootVersion.getVersion()).isEqualTo(expected);
    assertThat(SpringVersion.getVersion())
        .startsWith(expected.startsWith("3.") ? "6.2." : "7.");
  }
}
