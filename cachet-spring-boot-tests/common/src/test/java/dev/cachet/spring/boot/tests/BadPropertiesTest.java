package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.spring.boot.CachetPropertiesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A bad cachet.* property stops the application, saying which one, why, and what to write. */
@ExtendWith(OutputCaptureExtension.class)
class BadPropertiesTest {

  private static Throwable startFailure(String... properties) {
    Throwable[] failure = new Throwable[1];
    assertThatThrownBy(() -> BackOffTest.run(CatalogApp.class, properties).close())
        .satisfies(t -> failure[0] = t);
    return failure[0];
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static CachetPropertiesException cachetCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CachetPropertiesException e) {
        return e;
      }
    }
    throw new AssertionError("no CachetPropertiesException in " + messages(t));
  }

  @Test
  void aNegativeSizeIsReportedWithItsPropertyAndAFix() {
    CachetPropertiesException e = cachetCause(startFailure("cachet.caches.books.maximum-size=-1"));
    assertThat(e.property()).isEqualTo("cachet.caches.books.maximum-size");
    assertThat(e.getMessage()).contains("-1").contains("such as 1000");
  }

  @Test
  void theStartupReportNamesThePropertyAndTheFix(CapturedOutput output) {
    startFailure("cachet.caches.books.maximum-size=-1");
    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .contains("Invalid Cachet setting cachet.caches.books.maximum-size: is -1")
        .contains("Correct the property cachet.caches.books.maximum-size");
  }

  @Test
  void aZeroLifetimeIsReportedWithItsProperty() {
    CachetPropertiesException e =
        cachetCause(startFailure("cachet.caches.books.expire-after-write=0s"));
    assertThat(e.property()).isEqualTo("cachet.caches.books.expire-after-write");
    assertThat(e.getMessage()).contains("positive duration");
  }

  @Test
  void aRedisAddressThatIsNoUriIsReported() {
    CachetPropertiesException e = cachetCause(startFailure("cachet.redis=127.0.0.1:6379"));
    assertThat(e.property()).isEqualTo("cachet.redis");
    assertThat(e.getMessage()).contains("redis://127.0.0.1:6379");
  }

  @Test
  void anUnknownPolicyIsReportedWithTheValidOnes() {
    String all = messages(startFailure("cachet.caches.books.policy=mru"));
    assertThat(all).contains("cachet.caches.books.policy").contains("mru");
  }

  @Test
  void aMisspeltSettingIsReportedNotIgnored() {
    String all = messages(startFailure("cachet.caches.books.max-size=10"));
    assertThat(all).contains("cachet.caches.books.max-size");
  }

  @Test
  void anUnknownValueTypeIsReported() {
    String all = messages(startFailure("cachet.caches.books.value-type=com.example.Nope"));
    assertThat(all).contains("cachet.caches.books.value-type").contains("com.example.Nope");
  }
}
