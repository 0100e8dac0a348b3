package dev.cachet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.fingerprint.CodeFingerprint;
import dev.cachet.fingerprint.TypeFingerprint;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A result record that gains a field makes the stored results of the old shape unusable: they
 * are computed again, never decoded into the new record with the new field missing. The
 * function's own code is the same in both versions (the record lives in another package, whose
 * code its fingerprint does not follow), so only the result type's fingerprint can tell them
 * apart; the test checks that precondition first.
 */
class ResultShapeAcrossTiersTest {

  private static final String QUOTES = """
      package p;

      import java.io.Serializable;
      import java.util.concurrent.atomic.AtomicInteger;
      import java.util.function.Function;

      public class Quotes {
        public interface Fn<A, R> extends Function<A, R>, Serializable {
        }

        public static final AtomicInteger CALLS = new AtomicInteger();

        public static q.Quote quote(String item) {
          CALLS.incrementAndGet();
          return q.Quote.of(item);
        }

        public static Fn<String, q.Quote> fn() {
          return Quotes::quote;
        }
      }
      """;

  private static final String QUOTE_V1 = """
      package q;

      public record Quote(String item, int cents) {
        public static Quote of(String item) {
          return new Quote(item, 250);
        }
      }
      """;

  private static final String QUOTE_V2 = """
      package q;

      public record Quote(String item, int cents, String currency) {
        public static Quote of(String item) {
          return new Quote(item, 250, "EUR");
        }
      }
      """;

  @TempDir
  Path temp;

  private CompiledCode compile(String quote) {
    return CompiledCode.compile(temp, "p.Quotes",
        Map.of("p/Quotes.java", QUOTES, "q/Quote.java", quote));
  }

  private static String quoteOnce(Tier tier, String location, CompiledCode code) {
    try (Cachet cachet = tier.builder(location).build()) {
      Function<String, Object> quote = cachet.memoize("quote", code.<String, Object>function());
      return String.valueOf(quote.apply("tea"));
    }
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void aResultRecordThatGainedAFieldIsComputedAgainNotDecodedFromTheOldShape(Tier tier) {
    CompiledCode oldShape = compile(QUOTE_V1);
    CompiledCode newShape = compile(QUOTE_V2);
    assertThat(CodeFingerprint.of(newShape.function(), 1))
        .as("precondition: the function's code is the same in both versions")
        .isEqualTo(CodeFingerprint.of(oldShape.function(), 1));
    assertThat(TypeFingerprint.of(newShape.loadClass("q.Quote")))
        .as("precondition: the result types' shapes differ")
        .isNotEqualTo(TypeFingerprint.of(oldShape.loadClass("q.Quote")));

    String location = tier.location(temp);
    assertThat(quoteOnce(tier, location, oldShape)).isEqualTo("Quote[item=tea, cents=250]");
    CompiledCode oldShapeRebuilt = compile(QUOTE_V1);
    assertThat(quoteOnce(tier, location, oldShapeRebuilt)).isEqualTo("Quote[item=tea, cents=250]");
    assertThat(oldShapeRebuilt.calls()).as("the same shape reads the stored result").isZero();

    assertThat(quoteOnce(tier, location, newShape))
        .isEqualTo("Quote[item=tea, cents=250, currency=EUR]");
    assertThat(newShape.calls()).as("the new shape computes afresh").isEqualTo(1);

    CompiledCode backToTheOldShape = compile(QUOTE_V1);
    assertThat(quoteOnce(tier, location, backToTheOldShape))
        .isEqualTo("Quote[item=tea, cents=250]");
    assertThat(backToTheOldShape.calls())
        .as("the old shape's entry was not replaced by the new shape's").isZero();
  }
}
