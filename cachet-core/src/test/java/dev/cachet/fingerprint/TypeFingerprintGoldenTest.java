package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Type fingerprints are part of every tier namespace, so the same type must give the same
 * fingerprint in every JVM, run and release: a change here silently drops every stored
 * result. These are pinned; change them only together with a documented key-format change.
 */
class TypeFingerprintGoldenTest {
  enum Status { OPEN, CLOSED }

  record Line(String sku, long quantity, Optional<BigDecimal> price) {
  }

  record Order(String id, List<Line> lines, Map<String, Integer> counts, int[] codes,
      Status status, Line[][] grid) {
  }

  record Box<T>(T value, List<? extends Number> numbers, List<? super Integer> sinks,
      Map<String, List<T>> byName) {
  }

  static class Node<T extends Comparable<T>> {
    T value;
    Node<T> next;
  }

  sealed interface Figure permits Circle, Square {
  }

  record Circle(double radius) implements Figure {
  }

  record Square(double side) implements Figure {
  }

  static class Pojo {
    private String name;
    private transient String cached;
    private static int counter;
    protected List<Box<Line>> boxes;
  }

  interface Signatures {
    Box<String> boxOfString();

    Box<Line>[] arrayOfBoxes();

    Box<Map<String, Figure>> nested();

    List<? extends Figure> figures();
  }

  private static Map<String, Type> types() throws Exception {
    Map<String, Type> types = new LinkedHashMap<>();
    types.put("int", int.class);
    types.put("String", String.class);
    types.put("int[][]", int[][].class);
    types.put("Status", Status.class);
    types.put("Line", Line.class);
    types.put("Order", Order.class);
    types.put("Box (raw)", Box.class);
    types.put("Node (F-bounded, raw)", Node.class);
    types.put("Figure (sealed)", Figure.class);
    types.put("Pojo", Pojo.class);
    for (String method : List.of("boxOfString", "arrayOfBoxes", "nested", "figures")) {
      types.put(method, Signatures.class.getMethod(method).getGenericReturnType());
    }
    return types;
  }

  private static final Map<String, String> PINNED = Map.ofEntries(
Map.entry("Box (raw)",
          "9527a87563201af42a90dfd9d339a0a51ed82160b08a90312e429aaf6faafd5d"),
      Map.entry("Figure (sealed)",
          "09e8d8faa41a765c7e3fa1449ff7671eb3884cfe49e8993c53d7583b18873cca"),
      Map.entry("Line",
          "5c2f85574171924075b867d4652b0d11d1c70eafee497e850273684299cc4d8f"),
      Map.entry("Node (F-bounded, raw)",
          "2b052789a96b61c3e734c6ac50985678776258e63985b98362d7089e74cea5fc"),
      Map.entry("Order",
          "55121add62050e31e33cd1a6978b94d4d1975ff3c68a2ab3c4c646a775ade7dc"),
      Map.entry("Pojo",
          "0eb8d1a015feb198a47a555532fbd19a60d3ae78d8adb5221d84db5b604f25b5"),
      Map.entry("Status",
          "d252006844787ef998388bf2de86e4d2bc969459faea7f3166c3a32b0ea1cb2d"),
      Map.entry("String",
          "73cc7ce309d9be85f1d2c7efa2cb8695874000a7e6a9f871f53aeb41b163971a"),
      Map.entry("arrayOfBoxes",
          "2e28fa0ebe9a420216743c46d41d4a472b67724e415592bb4df0add133c14dab"),
      Map.entry("boxOfString",
          "e614c2f6120c804c3d1942dec9097a1f4c95cbff175d30c78379e202fde0747c"),
      Map.entry("figures",
          "2659dbd396034e14611b2fc7bdee0e98b124f80cf0b9aed186e57c1020a0e37e"),
      Map.entry("int",
          "6da88c34ba124c41f977db66a4fc5c1a951708d285c81bb0d47c3206f4c27ca8"),
      Map.entry("int[][]",
          "384bc39f2f957d9fe75c3be3bae0dbdf6c9d4cd0ab3be575fb6da55e4a541685"),
      Map.entry("nested",
          "fd073b6510603c87ca2eafb87292271905780a6d6735a1d7636815fdf46e70bf"));

  @Test
  void fingerprintsOfKnownTypesArePinned() throws Exception {
    Map<String, String> actual = new LinkedHashMap<>();
    types().forEach((name, type) -> actual.put(name, TypeFingerprint.of(type)));
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(PINNED);
  }
}
