package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the json codec works out once per declared type is kept, for a bounded number of types
 * (declared types come from user code, but a generated type per call must not grow memory
 * without end); and its messages quote Jackson's own words.
 */
class JsonCodecPlansTest {
  record Point(int x, int y) {
  }

  /** A distinct declared type per id: {@code List<String>} under another identity. */
  record NumberedListType(int id) implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return new Type[] {String.class};
    }

    @Override
    public Type getRawType() {
      return List.class;
    }

    @Override
    public Type getOwnerType() {
      return null;
    }
  }

  @Test
  void aDeclaredTypesPlanIsWorkedOutOnceAndKept() {
    JsonCodec codec = new JsonCodec();

    JsonCodec.TypePlan plan = codec.cachedPlan(Point.class);

    assertThat(plan.javaType.getRawClass()).isEqualTo(Point.class);
    assertThat(plan.untyped).isFalse();
    assertThat(codec.cachedPlan(Point.class)).isSameAs(plan);
  }

  @Test
  void plansAreKeptForAtMostTheBoundNumberOfTypes() {
    JsonCodec codec = new JsonCodec();
    for (int id = 0; id < JsonCodec.MAX_CACHED_TYPES - 1; id++) {
      codec.cachedPlan(new NumberedListType(id));
    }
    Type last = new NumberedListType(-1);
    assertThat(codec.cachedPlan(last)).as("the last type within the bound is kept")
        .isSameAs(codec.cachedPlan(last));

    Type beyond = new NumberedListType(-2);
    assertThat(codec.cachedPlan(beyond)).as("beyond the bound, worked out each time")
        .isNotSameAs(codec.cachedPlan(beyond));
    assertThat(codec.decode("[\"a\"]".getBytes(StandardCharsets.UTF_8), beyond))
        .isEqualTo(List.of("a"));
  }

  @Test
  void aDecodeFailureQuotesJacksonsMessageWithoutItsExceptionClass() {
    byte[] extraField = "{\"x\":1,\"y\":2,\"z\":3}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> JsonCodec.INSTANCE.decode(extraField, Point.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("with codec 'json': Unrecognized field \"z\"")
        .hasMessageContaining("The type's shape changed since the value was stored");
  }

  @Test
  void anUntypedValueThatReadsBackAsNullIsRefusedSayingSo() {
    // Declared as Object, an empty Optional is written as JSON null and read back as null.
    assertThatThrownBy(() -> JsonCodec.INSTANCE.encode(Optional.empty(), Object.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("JSON reads it back as null with a different value");
  }
}
