package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@code OptionalInt}, {@code OptionalLong} and {@code OptionalDouble} arguments are keys by
 * value, like {@code Optional}: final JDK classes whose fields are not readable, so each needs
 * its own rule, and a missing rule would refuse them as "no stable value".
 */
class PrimitiveOptionalKeysTest {
  @Test
  void primitiveOptionalsAreKeysByValue() {
    Object[][] sameValue = {
        {OptionalInt.of(7), OptionalInt.of(7)},
        {OptionalLong.of(7L), OptionalLong.of(7L)},
        {OptionalDouble.of(0.5), OptionalDouble.of(0.5)},
        {OptionalInt.empty(), OptionalInt.empty()},
        {OptionalLong.empty(), OptionalLong.empty()},
        {OptionalDouble.empty(), OptionalDouble.empty()}};
    for (Object[] pair : sameValue) {
      assertThat(KeySnapshot.of(pair[0], true)).as("%s", pair[0])
          .isEqualTo(KeySnapshot.of(pair[1], true));
    }
  }

  @Test
  void differentValuesAndEmptinessAreDifferentKeys() {
    assertThat(KeySnapshot.of(OptionalLong.of(7L), true))
        .isNotEqualTo(KeySnapshot.of(OptionalLong.of(8L), true))
        .isNotEqualTo(KeySnapshot.of(OptionalLong.empty(), true));
    assertThat(KeySnapshot.of(OptionalDouble.of(0.5), true))
        .isNotEqualTo(KeySnapshot.of(OptionalDouble.of(0.25), true))
        .isNotEqualTo(KeySnapshot.of(OptionalDouble.empty(), true));
  }

  @Test
  void typedKeysKeepTheNumberTypeAndUntypedKeysCompareValues() {
    Object[] sevens = {OptionalInt.of(7), OptionalLong.of(7L), OptionalDouble.of(7.0)};
    for (int i = 0; i < sevens.length; i++) {
      for (int j = i + 1; j < sevens.length; j++) {
        assertThat(KeySnapshot.of(sevens[i], true)).as("%s vs %s", sevens[i], sevens[j])
            .isNotEqualTo(KeySnapshot.of(sevens[j], true));
      }
    }
    // An OptionalInt holds an int as Optional<Integer> holds an Integer: the same value.
    assertThat(KeySnapshot.of(OptionalInt.of(7), true))
        .isEqualTo(KeySnapshot.of(Optional.of(7), true));
    // Untyped, 7 == 7L == 7.0 as in Python, whichever optional holds it.
    assertThat(KeySnapshot.of(OptionalLong.of(7L), false))
        .isEqualTo(KeySnapshot.of(OptionalInt.of(7), false))
        .isEqualTo(KeySnapshot.of(OptionalDouble.of(7.0), false));
  }
}
