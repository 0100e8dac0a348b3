package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden vectors: SHA-256 digests (and, for some, the full bytes) of representative keys,
 * computed once, checked by reading the bytes against docs/KEY-FORMAT.md, then pinned. They
 * guard the cross-JVM stability persistent tiers rely on: the same vectors must pass on every
 * JDK. A failure means the format changed: that needs a FORMAT_VERSION bump, not new vectors.
 * (Run {@link #main} to print current values after a deliberate, versioned change.)
 */
class KeyGoldenVectorsTest {

  /** A record with a primitive and a reference component. */
  record Point(int x, String label) {
  }

  /** An enum whose second constant has a body (so its runtime class is a subclass). */
  enum Color {
    RED, GREEN {
      @Override
      public String toString() {
        return "green";
      }
    }
  }

  /** A POJO superclass: one kept field, one transient and one static field. */
  static class Base {
    static int counter = 7;
    int id;
    transient int cached = 99;

    Base(int id) {
      this.id = id;
    }
  }

  /** A POJO with its own fields, declared in non-alphabetical order. */
  static class Item extends Base {
    List<String> tags;
    String name;

    Item(int id, String name, List<String> tags) {
      super(id);
      this.name = name;
      this.tags = tags;
    }
  }

  /** One golden case. */
  record Case(String name, Supplier<Object> key, String sha256, String bytes) {
  }

  static Object untyped(Object v) {
    return KeySnapshot.of(v, false);
  }

  static Object typed(Object v) {
    return KeySnapshot.of(v, true);
  }

  static List<Object> selfList() {
    List<Object> l = new ArrayList<>();
    l.add("a");
    l.add(l);
    return l;
  }

  static Map<String, Object> nested(boolean reversed) {
    Map<String, Object> inner = new LinkedHashMap<>();
    Map<String, Object> outer = new LinkedHashMap<>();
    if (reversed) {
      inner.put("y", 2);
      inner.put("x", 1);
      outer.put("b", List.of(1, 2));
      outer.put("a", inner);
    } else {
      inner.put("x", 1);
      inner.put("y", 2);
      outer.put("a", inner);
      outer.put("b", List.of(1, 2));
    }
    return outer;
  }

  static Map<Object, Object> nullMap() {
    Map<Object, Object> m = new java.util.HashMap<>();
    m.put(null, "n");
    m.put("k", null);
    return m;
  }

  static Set<String> set(String... elements) {
    return new LinkedHashSet<>(List.of(elements));
  }

  static final List<Case> CASES = List.of(
      new Case("null", () -> untyped(null),
          "47dc540c94ceb704a23875c11273e16bb0b8a87aed84de911f2133568115f254",
          "0100"),
      new Case("empty string", () -> untyped(""),
          "55e3787d6a9434a3eca44186565ffe1a4054127f0fbd3555dc1559d0771ab952",
          ""),
      new Case("ascii string", () -> untyped("hello"),
          "25e461bf935098a5e9d640b2395bf2e687cb87ef1fe930a3d534fa3bdc2870dc",
          ""),
      new Case("non-ascii string", () -> untyped("h\u00e9llo \u2713 \uD83D\uDE00"),
          "72e37ad79ab3290ce01601533d6487cad866acf662021e012f89f2b2e5e98868",
          "01040f68c3a96c6c6f20e29c9320f09f9880"),
      new Case("int untyped", () -> untyped(1),
          "be86b53ace72bfa76b4744f59e2cda1a07cad3c59c58d2af1ecf847c05111e41",
          "01130000000000000001"),
      new Case("int typed", () -> typed(1),
          "1c26fae0e6734eff2c5a82df7516f5fa1ae2f36f2afbf6a7ae05549fa52d81ef",
          "011200000001"),
      new Case("long typed", () -> typed(1L),
          "be86b53ace72bfa76b4744f59e2cda1a07cad3c59c58d2af1ecf847c05111e41",
          ""),
      new Case("double untyped 1.5", () -> untyped(1.5),
          "f93e10b1af8f071396cd052347765a03b99ccd08c1776921c3a36a65036bf421",
          "011702010f"),
      new Case("double typed 1.5", () -> typed(1.5),
          "716e8fcde695c62a96096f33e4e2bae2a2cc830a8edb15c9132c685cb36d6a64",
          ""),
      new Case("decimal untyped 1.00", () -> untyped(new BigDecimal("1.00")),
          "be86b53ace72bfa76b4744f59e2cda1a07cad3c59c58d2af1ecf847c05111e41",
          ""),
      new Case("decimal typed 12.3400", () -> typed(new BigDecimal("12.3400")),
          "d817fa290076d21a5a66789a53e570060a8dd7c5bcc1bfe8ed56e376c5ef669f",
          "0117040204d2"),
      new Case("bigint typed 2^100", () -> typed(BigInteger.ONE.shiftLeft(100)),
          "17cb2fd4fb644b46473bc74284fc67b989017699eae3267d7375dccd109968f2",
          ""),
      new Case("double typed NaN", () -> typed(Double.NaN),
          "71ec79920d52c05c50cedc765a086b18d41ccb6efc67b923e1e3c9a69aff70ab",
          ""),
      new Case("booleans and char", () -> untyped(List.of(true, false, 'x')),
          "9ee5eb9f5036b038922fbbdc6082984373bf6599f26bec68aef7f1fa55041714",
          ""),
      new Case("list", () -> untyped(java.util.Arrays.asList("a", 1, null)),
          "cd921413568a574f9077779e5f0f326933f819b3ea0af7a038b907740ceddea4",
          "01300304016113000000000000000100"),
      new Case("nested map", () -> untyped(nested(false)),
          "0338274606c179c368d01500a111591eea849de790b604b59ad6d3e31a80410c",
          "01330204016133020401781300000000000000010401791300000000000000020401623002130000"
              + "000000000001130000000000000002"),
      new Case("nested map reversed", () -> untyped(nested(true)),
          "0338274606c179c368d01500a111591eea849de790b604b59ad6d3e31a80410c",
          ""),
      new Case("set", () -> untyped(set("b", "a", "c")),
          "b29bf793f73a63ec4eb749ce30d2c21888fe25a4b9bf1eda5213475e1c781d83",
          "013203040161040162040163"),
      new Case("record", () -> untyped(new Point(3, "p")),
          "2474eb2a27863bf03931d1b75e7779980e0679be6ffe32a66a5762955afd9420",
          "0134296465762e6361636865742e6b65792e4b6579476f6c64656e566563746f7273546573742450"
              + "6f696e74020178130000000000000003056c6162656c040170"),
      new Case("enums", () -> untyped(List.of(TimeUnit.SECONDS, Color.GREEN)),
          "14ba5095b538c978e8e7e97a7b1608fdca98a3b8e1688ec41760afb5eeacdf77",
          ""),
      new Case("optionals", () -> untyped(List.of(Optional.of("x"), Optional.empty())),
          "aef2f70476cbcff51cc2f221e8de17db0e724718ebf37e8daa6593a211a77863",
          ""),
      new Case("uuid", () -> untyped(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),

          "bed8e6945fbdb0751be8e545a4a16ea389d8026f03696ec1a8d82a42484afb1e",
          ""),
      new Case("instant", () -> untyped(Instant.parse("2024-01-02T03:04:05.123456789Z")),
          "7a20e4fddd07345101b99fc8fc46ac452903f02305b022aedc398b963ea90ac1",
          ""),
      new Case("local date", () -> untyped(LocalDate.of(2024, 2, 29)),
          "64c24a8fc255463e62f7967c77b767268c9845ebf636361731693cfb511972e1",
          ""),
      new Case("zoned date time", () -> untyped(
          ZonedDateTime.of(2024, 6, 1, 12, 30, 0, 0, ZoneId.of("Europe/Paris"))),
          "0d1e65fb09bdd4889e3511b0863f5e919ffd46999e74c61fa562714a81ca95a3",
          "01210724323032342d30362d30315431323a33302b30323a30305b4575726f70652f50617269735d"),
      new Case("duration", () -> untyped(Duration.ofMillis(90_061_001)),
          "e21ca8d3599974e156c3f3e9c70895b2b6f9eb3c2527bcb152a471ac91c72d13",
          ""),
      new Case("int array untyped", () -> untyped(new int[] {1, 2, 3}),
          "d33f79f239b9bb86c7bce1c8d05cea27abc4c53d22471711e0114e70e979eb28",
          ""),
      new Case("byte array typed", () -> typed(new byte[] {0, -1, 127}),
          "5abfa3978d5a3b59beb029496fdf2e526b73fb7c903c46bf82093bc1d03d6813",
          ""),
      new Case("cyclic list", () -> untyped(selfList()),
          "1826d9d038f8bf382d7c0db0354f99d6d5c370dc651a179670a45fa3cf9c45e9",
          "0130020401613701"),
      new Case("pojo", () -> untyped(new Item(42, "n", List.of("t"))),
          "dcbfb1d6e487ca9c3cd525bd667cda9538083b8d48ddb5b353d6b866312f233c",
          "0135286465762e6361636865742e6b65792e4b6579476f6c64656e566563746f7273546573742449"
              + "74656d02286465762e6361636865742e6b65792e4b6579476f6c64656e566563746f727354657374"
              + "24426173650102696413000000000000002a286465762e6361636865742e6b65792e4b6579476f6c"
              + "64656e566563746f727354657374244974656d02046e616d6504016e04746167733001040174"),
      new Case("args", () -> KeyMaker.of("f", List.of("a", "b"), false)
          .keyOf(new Object[] {"x", 2}),
          "a546920ef86bfc55deec454ae49c032f23a0afaff3af3815d060be926185291b",
          "013602040178130000000000000002"),
      new Case("no args", () -> KeyMaker.of("f", List.of(), false).keyOf(new Object[0]),

          "f4e129297cb4ee2410b380b645a54edf715fba5bc0f5dfd87c297127a894ca2c",
          ""),
      new Case("double array untyped", () -> untyped(new double[] {0.5, 2.0, Double.NaN}),

          "7dde713a4d40d357d86884b2d150b7f0c4148dae68ed645dd636d8b947fa0a92",
          ""),
      new Case("negative zero typed", () -> typed(-0.0),
          "175564045165c9cee2618e6921fd950d0be29cf472d681ccaa19e3dd19b8527f",
          ""),
      new Case("map with null key and value", () -> untyped(nullMap()),
          "d964c0d08d465b3799fa216a0ce6ec3eb4dad4cb353e42316d269d961944e494",
          "0133020004016e04016b00"),
      // One case per tag at the top level, its bytes pinned (see everyTagHasPinnedBytes).
      new Case("false", () -> untyped(false),
          "9dcf97a184f32623d11a73124ceb99a5709b083721e878a16d78f596718ba7b2",
          "0101"),
      new Case("true", () -> untyped(true),
          "a12871fee210fb8619291eaea194581cbd2531e4b23759d225f6806923f63222",
          "0102"),
      new Case("char", () -> untyped('x'),
          "27d2a27d16bf8ec828858edc42401e6f49548e71dce88a050d52feba5f26a81b",
          "01030078"),
      new Case("byte typed", () -> typed((byte) -2),
          "494f96a72b94b2a89bf357cd2b22a1b6fe3f01a9599140f60976103e62aa0e52",
          "0110fe"),
      new Case("short typed", () -> typed((short) 300),
          "06339172204edb00f41f9ad96e8989b32f74a080baed556a92e57e80ad30ed0b",
          "0111012c"),
      new Case("float typed", () -> typed(1.5f),
          "2b40347c2877ae4eeb5b84ad549cd29527f53aea0d826dc46c68a163a4cfd854",
          "01143fc00000"),
      new Case("double typed 0.1", () -> typed(0.1),
          "c104479a62b3b5b1b3c51b5fe411e87a037bb5bb614b8c819398348146edf994",
          "01153fb999999999999a"),
      new Case("bigint typed -2^70", () -> typed(BigInteger.ONE.shiftLeft(70).negate()),
          "7acb692eff783bf743a1d1aaf5b1620b64e278dc49958b28d239053ae998bf4d",
          "011609c00000000000000000"),
      new Case("uuid bytes", () -> untyped(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
          
          "bed8e6945fbdb0751be8e545a4a16ea389d8026f03696ec1a8d82a42484afb1e",
          "0120123e4567e89b12d3a456426614174000"),
      new Case("enum", () -> untyped(TimeUnit.SECONDS),
          "a362571a19a86ca1eee5a286f0ad33eaa6de691af9585a4df396001418f90cf3",
          "01221d6a6176612e7574696c2e636f6e63757272656e742e54696d65556e6974075345434f4e4453"),
      new Case("enum constant with a body", () -> untyped(Color.GREEN),
          "2648a2aeaec0928e32e1a8c7770b392d6b4e8ec5956016c0fa823740d7496ee7",
          "0122296465762e6361636865742e6b65792e4b6579476f6c64656e566563746f72735465737424436f6c6f7205475245454e"),
      new Case("class", () -> untyped(String.class),
          "4c182983231825945e47e58ed9758e3aaf530a135456a00339222c1ce70e9baa",
          "0123106a6176612e6c616e672e537472696e67"),
      new Case("array class", () -> untyped(int[][].class),
          "82a6dcef4efbced2cbe9c512a2af05e985b68a5d5fb6606294bab8143aa6e1b5",
          "0123035b5b49"),
      new Case("nested class", () -> untyped(Point.class),
          "2aa83fbd40cae9178c8aa3c865beb3e03eb2cc4debb1d12ac8a13710d1acdbab",
          "0123296465762e6361636865742e6b65792e4b6579476f6c64656e566563746f72735465737424506f696e74"),
      new Case("optional empty", () -> untyped(Optional.empty()),
          "3f2d2a889d22530bd1abdc40ff1cbb23ca53ae3f1983e58c70d46a15c120e780",
          "0124"),
      new Case("optional of", () -> untyped(Optional.of("x")),
          "98bc0a18f68ce761c200aff972d4dc4501ed279f864f8ce79f1f380d04253a62",
          "0125040178"),
      new Case("long array typed", () -> typed(new long[] {-1L, 7L}),
          "a55114c0c829c158a24b08081be0481bcddf188027d2dc520567af25d3f95bd1",
          "01310213ffffffffffffffff130000000000000007"));

  @TestFactory
  Stream<DynamicTest> pinnedDigestsAndBytes() {
    return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Object key = c.key().get();
      if (!c.bytes().isEmpty()) {
        assertThat(KeyDigest.hex(CanonicalEncoding.encode(key))).isEqualTo(c.bytes());
      }
      assertThat(KeyDigest.sha256Hex(key)).isEqualTo(c.sha256());
      assertThat(KeyDigest.sha256(key)).hasSize(32);
    }));
  }

  @Test
  void equalKeysShareVectors() {
    assertThat(digest("nested map")).isEqualTo(digest("nested map reversed"));
    assertThat(digest("int untyped")).isEqualTo(digest("decimal untyped 1.00"))
        .isEqualTo(digest("long typed"));
    assertThat(digest("int typed")).isNotEqualTo(digest("long typed"));
  }

  /**
   * Every tag of the format is pinned by the bytes of a case that starts with it, so renumbering
   * a tag, or changing what follows it, fails here even when the digests of other cases happen
   * not to contain it. A back-reference cannot start an encoding; the cyclic list pins it.
   */
  @Test
  void everyTagHasPinnedBytes() throws IllegalAccessException {
    Set<Integer> pinnedFirstTags = new java.util.HashSet<>();
    for (Case c : CASES) {
      if (!c.bytes().isEmpty()) {
        pinnedFirstTags.add(Integer.parseInt(c.bytes().substring(2, 4), 16));
      }
    }
    pinnedFirstTags.add(CanonicalEncoding.BACKREF);
    assertThat(CASES.stream().filter(c -> c.name().equals("cyclic list")).findFirst()
        .orElseThrow().bytes()).endsWith("3701");
    List<String> unpinned = new ArrayList<>();
    int tags = 0;
    for (java.lang.reflect.Field field : CanonicalEncoding.class.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (field.getType() != int.class || !java.lang.reflect.Modifier.isStatic(modifiers)
          || java.lang.reflect.Modifier.isPublic(modifiers)) {
        continue; // FORMAT_VERSION is public; the tags are package-private
      }
      if (field.isSynthetic() || field.getName().startsWith("$")) {
        continue; // added by an instrumenting agent (PIT's coverage probes), not a tag
      }
      tags++;
      if (!pinnedFirstTags.contains(field.getInt(null))) {
        unpinned.add(field.getName());
      }
    }
    assertThat(tags).as("tags found in CanonicalEncoding").isGreaterThanOrEqualTo(27);
    assertThat(unpinned).as("tags without a case whose pinned bytes start with them").isEmpty();
  }

  @Test
  void everyEncodingStartsWithTheFormatVersion() {
    for (Case c : CASES) {
      assertThat(CanonicalEncoding.encode(c.key().get())[0])
          .isEqualTo((byte) CanonicalEncoding.FORMAT_VERSION);
    }
  }

  @Test
  void rawValueConvenienceMatchesSnapshots() {
    assertThat(KeyDigest.sha256Hex(List.of(1, "a"), false))
        .isEqualTo(KeyDigest.sha256Hex(untyped(List.of(1L, "a"))));
    assertThat(CanonicalEncoding.encode(new int[] {1, 2, 3}, false))
        .isEqualTo(CanonicalEncoding.encode(untyped(new int[] {1, 2, 3})));
  }

  private static String digest(String name) {
    return CASES.stream().filter(c -> c.name().equals(name)).findFirst()
        .map(c -> KeyDigest.sha256Hex(c.key().get())).orElseThrow();
  }

  /** Prints name, digest and bytes of every case. */
  public static void main(String[] args) {
    for (Case c : CASES) {
      Object key = c.key().get();
      System.out.println(c.name() + "\t" + KeyDigest.sha256Hex(key) + "\t"
          + KeyDigest.hex(CanonicalEncoding.encode(key)));
    }
  }
}
