package dev.cachet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The promise users rely on most when results outlive the process: edit a memoized function,
 * rebuild, and the old results are never served, from disk or from Redis, in this JVM or
 * another. The unedited function, recompiled, must still hit, which shows the entries were
 * there to be (wrongly) served.
 */
class CodeEditAcrossTiersTest {

  private static String pricing(String body) {
    return """
        package p;

        import java.io.Serializable;
        import java.util.concurrent.atomic.AtomicInteger;
        import java.util.function.Function;

        public class Pricing {
          public interface Fn<A, R> extends Function<A, R>, Serializable {
          }

          public static final AtomicInteger CALLS = new AtomicInteger();

          public static String price(String item) {
            CALLS.incrementAndGet();
            %s
          }

          public static Fn<String, String> fn() {
            return Pricing::price;
          }
        }
        """.formatted(body);
  }

  private static final String V1 = pricing("return \"v1 price of \" + item;");
  private static final String V2 = pricing("return \"v2 price of \" + item.trim();");

  @TempDir
  Path temp;

  private CompiledCode compile(String source) {
    return CompiledCode.compile(temp, "p.Pricing", Map.of("p/Pricing.java", source));
  }

  private static String callOnce(Tier tier, String location, CompiledCode code) {
    try (Cachet cachet = tier.builder(location).build()) {
      Function<String, String> price = cachet.memoize("price", code.<String, String>function());
      return price.apply("tea");
    }
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void anEditedFunctionNeverReadsTheOldResults(Tier tier) {
    String location = tier.location(temp);

    CompiledCode first = compile(V1);
    assertThat(callOnce(tier, location, first)).isEqualTo("v1 price of tea");
    assertThat(first.calls()).isEqualTo(1);

    CompiledCode rebuilt = compile(V1);
    assertThat(callOnce(tier, location, rebuilt)).isEqualTo("v1 price of tea");
    assertThat(rebuilt.calls()).as("the same code, rebuilt, reads its stored result").isZero();

    CompiledCode edited = compile(V2);
    assertThat(callOnce(tier, location, edited)).isEqualTo("v2 price of tea");
    assertThat(edited.calls()).as("the edited code computes afresh").isEqualTo(1);

    CompiledCode editedAgain = compile(V2);
    assertThat(callOnce(tier, location, editedAgain)).isEqualTo("v2 price of tea");
    assertThat(editedAgain.calls()).as("and then reads its own result").isZero();
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void anotherJvmRunningTheOldCodeIsNotReadByTheEditedOne(Tier tier) throws Exception {
    String location = tier.location(temp);
    CompiledCode old = compile(V1);
    String printed = ChildProcess.run(temp, FunctionChild.class, old.classes().toString(),
        "p.Pricing", tier.name(), location, "price", "tea");
    assertThat(printed).contains("result=v1 price of tea", "calls=1");

    CompiledCode edited = compile(V2);
    assertThat(callOnce(tier, location, edited)).isEqualTo("v2 price of tea");
    assertThat(edited.calls()).isEqualTo(1);

    CompiledCode sameAsTheChild = compile(V1);
    assertThat(callOnce(tier, location, sameAsTheChild)).isEqualTo("v1 price of tea");
    assertThat(sameAsTheChild.calls()).as("the child's result is there for the same code")
        .isZero();

    String printedByEdited = ChildProcess.run(temp, FunctionChild.class,
        edited.classes().toString(), "p.Pricing", tier.name(), location, "price", "tea");
    assertThat(printedByEdited).as("a child with the edited code reads this JVM's result")
        .contains("result=v2 price of tea", "calls=0");
  }
}
