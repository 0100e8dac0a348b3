package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private final Codec json = JsonCodec.instance();

  record Address(String city, String zip) {}

  record User(String name, int age, Address address, List<String> roles) {}

  /** The "old" and "new" shapes of one record, for the changed-shape tests. */
  record UserV1(String name) {}

  record UserV2(String name, int age) {}

  enum Color { RED, GREEN }

  record Everything(
      Instant instant,
      LocalDate date,
      ZonedDateTime zoned,
      BigDecimal amount,
      Color color,
      Optional<String> nickname,
      long big,
      Double boxed) {}

  /** A classic POJO: no-argument constructor, getters and setters. */
  public static final class Pojo {
    private String name;
    private int count;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public int getCount() {
      return count;
    }

    public void setCount(int count) {
      this.count = count;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pojo && Objects.equals(name, ((Pojo) o).name)
          && count == ((Pojo) o).count;
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, count);
    }
  }

  interface Shape {}

  record Circle(double radius) implements Shape {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({@JsonSubTypes.Type(value = Square.class, name = "square")})
  interface Tagged {}

  record Square(int side) implements Tagged {}

  /** A user type that asks for class names in the payload, on a JDK base type. */
  record Envelope(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object content) {}

  /** Declared return types, read the way Cachet reads them: through reflection. */
  interface Api {
    List<User> users();

    Map<String, Optional<Instant>> seen();

    int count();
  }

  private Object roundTrip(Object value, Type type) {
    byte[] bytes = json.encode(value, type);
    return json.decode(bytes, type);
  }

  private static Type returnType(String method) throws NoSuchMethodException {
    return Api.class.getMethod(method).getGenericReturnType();
  }

  @Test
  void recordWithNestedRecord() {
    User user = new User("Jason", 25, new Address("Paris", "75001"), List.of("admin", "dev"));
    assertThat(roundTrip(user, User.class)).isEqualTo(user);
  }

  @Test
  void listOfRecordsFromAMethodsGenericReturnType() throws Exception {
    List<User> users = List.of(new User("a", 1, null, List.of()),
        new User("b", 2, new Address("x", "y"), List.of("r")));
    Object back = roundTrip(users, returnType("users"));
    assertThat(back).isEqualTo(users);
    assertThat(((List<?>) back).get(0)).isInstanceOf(User.class);
  }

  @Test
  void mapOfRecords() {
    Type type = new TypeRef<Map<String, User>>() {}.type();
    Map<String, User> map = Map.of("k", new User("n", 3, new Address("c", "z"), List.of()));
    Object back = roundTrip(map, type);
    assertThat(back).isEqualTo(map);
    assertThat(((Map<?, ?>) back).get("k")).isInstanceOf(User.class);
  }

  @Test
  void mapOfOptionalInstants() throws Exception {
    Map<String, Optional<Instant>> seen = Map.of(
        "yes", Optional.of(Instant.parse("2024-05-01T10:15:30.123456789Z")),
        "no", Optional.empty());
    assertThat(roundTrip(seen, returnType("seen"))).isEqualTo(seen);
  }

  @Test
  void optionalPresentAndEmpty() {
    Type type = new TypeRef<Optional<String>>() {}.type();
    assertThat(roundTrip(Optional.of("x"), type)).isEqualTo(Optional.of("x"));
    assertThat(roundTrip(Optional.empty(), type)).isEqualTo(Optional.empty());
  }

  @Test
  void javaTimeBigDecimalEnumsAndNumbers() {
    Everything e = new Everything(
        Instant.parse("2024-01-02T03:04:05.678Z"),
        LocalDate.of(2024, 2, 29),
        ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
        new BigDecimal("12.3400"),
        Color.GREEN,
        Optional.of("nick"),
        Long.MAX_VALUE,
        1.5);
    assertThat(roundTrip(e, Everything.class)).isEqualTo(e);
  }

  @Test
  void datesAreIsoStringsNotTimestamps() {
    String text = new String(json.encode(Instant.parse("2024-01-02T03:04:05Z"), Instant.class),
        StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("\"2024-01-02T03:04:05Z\"");
    String date = new String(json.encode(LocalDate.of(2024, 2, 29), LocalDate.class),
        StandardCharsets.UTF_8);
    assertThat(date).isEqualTo("\"2024-02-29\"");
  }

  @Test
  void scalarsAtTheRoot() {
    assertThat(roundTrip(Instant.EPOCH, Instant.class)).isEqualTo(Instant.EPOCH);
    assertThat(roundTrip(LocalDate.of(1999, 12, 31), LocalDate.class))
        .isEqualTo(LocalDate.of(1999, 12, 31));
    assertThat(roundTrip(new BigDecimal("1E+3"), BigDecimal.class))
        .isEqualTo(new BigDecimal("1000"));
    assertThat(roundTrip(new BigDecimal("0.10"), BigDecimal.class))
        .isEqualTo(new BigDecimal("0.10"));
    assertThat(roundTrip(Color.RED, Color.class)).isEqualTo(Color.RED);
  }

  @Test
  void primitivesAndBoxes() throws Exception {
    assertThat(roundTrip(42, returnType("count"))).isEqualTo(42);
    assertThat(roundTrip(42, int.class)).isEqualTo(42);
    assertThat(roundTrip(7L, Long.class)).isEqualTo(7L);
    assertThat(roundTrip(true, boolean.class)).isEqualTo(true);
    assertThat(roundTrip('x', char.class)).isEqualTo('x');
    assertThat(roundTrip(2.5d, double.class)).isEqualTo(2.5d);
    assertThat(roundTrip((short) 3, Short.class)).isEqualTo((short) 3);
  }

  @Test
  void pojoWithGettersAndSetters() {
    Pojo p = new Pojo();
    p.setName("n");
    p.setCount(9);
    assertThat(roundTrip(p, Pojo.class)).isEqualTo(p);
  }

  @Test
  void nullIsJsonNull() {
    assertThat(json.encode(null, User.class)).isEqualTo("null".getBytes(StandardCharsets.UTF_8));
    assertThat(json.decode("null".getBytes(StandardCharsets.UTF_8), User.class)).isNull();
    assertThat(roundTrip(null, String.class)).isNull();
  }

  @Test
  void aRecordWithAnExtraFieldDoesNotDecodeIntoTheOldRecord() {
    byte[] newer = json.encode(new UserV2("n", 3), UserV2.class);
    assertThatThrownBy(() -> json.decode(newer, UserV1.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(UserV1.class.getName())
        .hasMessageContaining("shape changed");
  }

  @Test
  void aRecordWithAMissingFieldDoesNotDecodeIntoTheNewRecord() {
    byte[] older = json.encode(new UserV1("n"), UserV1.class);
    assertThatThrownBy(() -> json.decode(older, UserV2.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("shape changed");
  }

  @Test
  void lossyCoercionsAreRefused() {
    assertThatThrownBy(() -> json.decode("1.5".getBytes(StandardCharsets.UTF_8), int.class))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> json.decode("\"12\"".getBytes(StandardCharsets.UTF_8), int.class))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> json.decode("null".getBytes(StandardCharsets.UTF_8), int.class))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> json.decode("1 2".getBytes(StandardCharsets.UTF_8), int.class))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void garbageIsACodecException() {
    assertThatThrownBy(() -> json.decode(new byte[] {'{', 0x01, (byte) 0xFF}, User.class))
        .isInstanceOf(CodecException.class)
        .satisfies(e -> assertThat(((CodecException) e).codecId()).isEqualTo("json"));
  }

  // ---- security ----

  private static final byte[] GADGET = ("{\"@class\":\"java.lang.ProcessBuilder\","
      + "\"command\":[\"touch\",\"/tmp/pwned\"]}").getBytes(StandardCharsets.UTF_8);

  @Test
  void aClassNameInThePayloadDecodesIntoObjectAsAPlainMap() {
    Object back = json.decode(GADGET, Object.class);
    assertThat(back).isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) back).get("@class")).isEqualTo("java.lang.ProcessBuilder");
    assertThat(((Map<?, ?>) back).get("command")).isInstanceOf(List.class);
  }

  @Test
  void aClassNameInThePayloadDecodesIntoMapAsPlainValues() {
    Type type = new TypeRef<Map<String, Object>>() {}.type();
    byte[] nested = ("{\"x\":[\"java.lang.ProcessBuilder\",{\"@class\":"
        + "\"java.lang.ProcessBuilder\"}]}").getBytes(StandardCharsets.UTF_8);
    Map<?, ?> back = (Map<?, ?>) json.decode(nested, type);
    List<?> x = (List<?>) back.get("x");
    assertThat(x.get(0)).isInstanceOf(String.class);
    assertThat(x.get(1)).isInstanceOf(Map.class);
  }

  @Test
  void anInterfaceWithoutTypeAnnotationsDoesNotDecode() {
    byte[] bytes = json.encode(new Circle(1), Circle.class);
    assertThatThrownBy(() -> json.decode(bytes, Shape.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Shape.class.getName())
        .hasMessageContaining("register a custom Codec");
    assertThatThrownBy(() -> json.decode(GADGET, Shape.class))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> json.decode(GADGET, Runnable.class))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void encodingIntoAnUndecodableDeclaredTypeFailsAtWriteTime() {
    assertThatThrownBy(() -> json.encode(new Circle(2), Shape.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Shape.class.getName());
  }

  @Test
  void classNameTypeIdsOnAJdkBaseTypeAreRefused() {
    byte[] attack = ("{\"content\":{\"@class\":\"java.lang.ProcessBuilder\","
        + "\"command\":[\"touch\",\"/tmp/pwned\"]}}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> json.decode(attack, Envelope.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("never for Object");
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
  interface Plugin {}

  record Echo(String text) implements Plugin {}

  @Test
  void classNameTypeIdsOnAUserBaseTypeAcceptOnlyItsSubtypes() {
    assertThat(roundTrip(new Echo("hi"), Plugin.class)).isEqualTo(new Echo("hi"));
    byte[] attack = ("{\"@class\":\"java.lang.ProcessBuilder\","
        + "\"command\":[\"touch\",\"/tmp/pwned\"]}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> json.decode(attack, Plugin.class))
        .isInstanceOf(CodecException.class);
    byte[] notASubtype = ("{\"@class\":\"" + Circle.class.getName() + "\",\"radius\":1}")
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> json.decode(notASubtype, Plugin.class))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void namedSubtypesDeclaredByTheUserStillWork() {
    assertThat(roundTrip(new Square(4), Tagged.class)).isEqualTo(new Square(4));
    Type list = new TypeRef<List<Tagged>>() {}.type();
    assertThat(roundTrip(List.of(new Square(1)), list)).isEqualTo(List.of(new Square(1)));
  }

  /** A non-polymorphic base class with a subclass that adds a field. */
  public static class Animal {
    public String name;
  }

  public static final class Dog extends Animal {
    public boolean goodBoy;
  }

  @Test
  void aSubclassWithExtraFieldsInAContainerIsNotSilentlyTruncated() {
    Dog dog = new Dog();
    dog.name = "rex";
    dog.goodBoy = true;
    Type animals = new TypeRef<List<Animal>>() {}.type();
    // written by its runtime class, so it cannot come back as a plain Animal
    assertThatThrownBy(() -> json.encode(List.of(dog), animals))
        .isInstanceOf(CodecException.class);
  }

  // ---- untyped declarations ----

  @Test
  void untypedValuesAreCachedOnlyIfTheyComeBackEqual() {
    Type objects = new TypeRef<List<Object>>() {}.type();
    List<Object> plain = new ArrayList<>(List.of("a", 1, true, Map.of("k", List.of(2))));
    assertThat(roundTrip(plain, objects)).isEqualTo(plain);
    // a Long that fits an int would come back as an Integer: refuse rather than change it
    assertThatThrownBy(() -> json.encode(List.of(5L), objects))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("Declare the concrete return type");
    assertThatThrownBy(() -> json.encode(new User("n", 1, null, List.of()), Object.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(User.class.getName());
  }

  record Document(String text) {}

  @Test
  void stringsLongerThanJacksonsDefaultLimitRoundTrip() {
    Document doc = new Document("x".repeat(21_000_000));
    assertThat(((Document) roundTrip(doc, Document.class)).text()).hasSize(21_000_000);
  }

  @Test
  void oneInstanceServesManyThreads() {
    Type type = new TypeRef<List<User>>() {}.type();
    java.util.stream.IntStream.range(0, 2_000).parallel().forEach(i -> {
      List<User> users = List.of(new User("u" + i, i, new Address("c" + i, "z"), List.of()));
      assertThat(roundTrip(users, type)).isEqualTo(users);
    });
  }

  @Test
  void aValueJacksonCannotWriteFailsWithAHelpfulMessage() {
    Object noProperties = new Object() {};
    assertThatThrownBy(() -> json.encode(noProperties, Object.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("register a custom Codec")
        .hasMessageContaining("not stored below");
  }
}
