package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator.Validity;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The json codec's guards, each on its own: the type validator that keeps class names in a
 * payload from naming JDK classes (every layer refuses by itself, so one mistake does not open
 * the gadget-chain door), the round-trip check for declarations that leave the runtime class
 * open, and the advice its failures give.
 */
class JsonCodecGuardsTest {

  private final Codec json = JsonCodec.instance();

  interface Plugin {
  }

  record Echo(String text) implements Plugin {
  }

  record Other(int n) {
  }

  private static PolymorphicTypeValidator validator() throws Exception {
    Class<?> type = Class.forName(JsonCodec.class.getName() + "$UserTypesOnly");
    Constructor<?> constructor = type.getDeclaredConstructor();
    constructor.setAccessible(true);
    return (PolymorphicTypeValidator) constructor.newInstance();
  }

  private static JavaType t(Class<?> c) {
    return TypeFactory.defaultInstance().constructType(c);
  }

  @Test
  void jdkBaseTypesAreRefusedAndUserBaseTypesLeftToTheSubtypeChecks() throws Exception {
    PolymorphicTypeValidator v = validator();
    assertThat(v.validateBaseType(null, t(Object.class))).isEqualTo(Validity.DENIED);
    assertThat(v.validateBaseType(null, t(Serializable.class))).isEqualTo(Validity.DENIED);
    assertThat(v.validateBaseType(null, t(int.class))).isEqualTo(Validity.DENIED);
    assertThat(v.validateBaseType(null, t(Object[].class))).isEqualTo(Validity.DENIED);
    assertThat(v.validateBaseType(null, t(Plugin.class))).isEqualTo(Validity.INDETERMINATE);
  }

  @Test
  void classNamesFromThePayloadAreRefusedForJdkPackagesAndJdkBases() throws Exception {
    PolymorphicTypeValidator v = validator();
    JavaType plugin = t(Plugin.class);
    for (String name : List.of("java.lang.ProcessBuilder", "javax.naming.InitialContext",
        "jdk.internal.misc.Unsafe", "sun.misc.Unsafe", "com.sun.rowset.JdbcRowSetImpl",
        "[Ljava.lang.Object;")) {
      assertThat(v.validateSubClassName(null, plugin, name)).as(name).isEqualTo(Validity.DENIED);
    }
    assertThat(v.validateSubClassName(null, plugin, Echo.class.getName()))
        .isEqualTo(Validity.INDETERMINATE);
    // A prefix is a package, not a substring: "javafake." is a user's package.
    assertThat(v.validateSubClassName(null, plugin, "javafake.Thing"))
        .isEqualTo(Validity.INDETERMINATE);
    assertThat(v.validateSubClassName(null, t(Object.class), Echo.class.getName()))
        .isEqualTo(Validity.DENIED);
  }

  @Test
  void resolvedSubtypesMustBeUserSubtypesOfAUserBase() throws Exception {
    PolymorphicTypeValidator v = validator();
    JavaType plugin = t(Plugin.class);
    assertThat(v.validateSubType(null, plugin, t(Echo.class))).isEqualTo(Validity.ALLOWED);
    assertThat(v.validateSubType(null, plugin, t(Other.class))).isEqualTo(Validity.DENIED);
    assertThat(v.validateSubType(null, plugin, t(String.class))).isEqualTo(Validity.DENIED);
    assertThat(v.validateSubType(null, t(Object.class), t(Echo.class)))
        .isEqualTo(Validity.DENIED);
  }

  static Object generic() {
    return null;
  }

  @Test
  void anOpenDeclarationOnlyCachesValuesThatComeBackEqual() throws Exception {
    // JSON reads 1 back as an Integer: a Long declared as Object would come back different.
    assertRefused(1L, Object.class);
    assertThatThrownBy(() -> json.encode(1L, Object.class))
        .hasMessageContaining("reads it back as java.lang.Integer");
    assertRefused(List.of(1L), new TypeRef<List<Object>>() {}.type());
    assertRefused(Map.of("k", List.of(1L)), new TypeRef<Map<String, List<Object>>>() {}.type());
    // Values JSON rebuilds exactly are fine, and null always is.
    assertThat(json.decode(json.encode(List.of("a", 1), List.class), List.class))
        .isEqualTo(List.of("a", 1));
    assertThat(json.encode(null, Object.class)).isEqualTo("null".getBytes(StandardCharsets.UTF_8));
    assertThat(json.decode(json.encode(null, Object.class), Object.class)).isNull();
  }

  private void assertRefused(Object value, Type declared) {
    assertThatThrownBy(() -> json.encode(value, declared))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("does not say what to rebuild");
  }

  @Test
  void aConcreteDeclarationDoesNotNeedEquals() {
    // Arrays and classes without equals never compare equal after a round trip; declared
    // concretely they are read back by their type, so they are cached.
    int[] numbers = {1, 2, 3};
    assertThat((int[]) json.decode(json.encode(numbers, int[].class), int[].class))
        .containsExactly(1, 2, 3);
    Type listOfArrays = new TypeRef<List<long[]>>() {}.type();
    @SuppressWarnings("unchecked")
    List<long[]> back = (List<long[]>) json.decode(json.encode(List.of(new long[] {7}),
        listOfArrays), listOfArrays);
    assertThat(back.get(0)).containsExactly(7);
  }

  @Test
  void bigDecimalsInsideContainersStayPlain() {
    Type list = new TypeRef<List<BigDecimal>>() {}.type();
    assertThat(new String(json.encode(List.of(new BigDecimal("1E+3")), list),
        StandardCharsets.UTF_8)).isEqualTo("[1000]");
  }

  /** Fields but no getters: Jackson finds nothing to write. */
  public static final class Opaque {
    @SuppressWarnings("unused")
    private final int secret = 1;
  }

  record Shape1(String name) {
  }

  @Test
  void failuresSayWhatToDo() {
    assertThatThrownBy(() -> json.encode(new Opaque(), Opaque.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("Give the type public getters or make it a record")
        .hasMessageContaining("runtime class " + Opaque.class.getName())
        .hasMessageNotContaining("\n");
    byte[] newer = "{\"name\":\"n\",\"extra\":1}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> json.decode(newer, Shape1.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("The type's shape changed since the value was stored")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> json.decode("{}".getBytes(StandardCharsets.UTF_8), Shape1.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("The type's shape changed");
    assertThatThrownBy(() -> json.decode("[1".getBytes(StandardCharsets.UTF_8), Shape1.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("do not fit the declared type");
    assertThat(json.toString()).isEqualTo("JsonCodec");
  }
}
