package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shapes at the edges of {@link TypeFingerprint}'s rendering, pinned like those of
 * {@link TypeFingerprintGoldenTest}: types nested past the depth bound by every route the
 * rendering follows (arrays, type arguments, wildcards, type variables, fields, sealed
 * subtypes), types cut off there whose remaining names are themselves cut off (names of more
 * than twelve levels; a chain nested deeper than that reads as a cycle, so the eight-level
 * chains are the ones that reach the depth bound), a type wide enough to reach the node bound, a
 * direct self-reference, a shadowed field and a class of a platform module. A change to any of these renderings would silently
 * change the namespace, and so drop the stored results, of every function returning such a type.
 */
class TypeFingerprintBoundsGoldenTest {
  record Line(String sku, long quantity) {
  }

  /** One type variable reached through a record component. */
  record Wrap<T>(T value) {
  }

  /** One type variable reached through a field. */
  static class Cell<T> {
    T value;
  }

  record Tree(String label, List<Tree> children) {
  }

  static class Base {
    String name;
  }

  static class Derived extends Base {
    int name;
  }

  /** A field whose class is loaded by the platform class loader, not the boot loader. */
  record Dated(java.sql.Date day) {
  }

  record Wide3(int f0, int f1, int f2, int f3, int f4, int f5, int f6, int f7, int f8, int f9) {
  }

  record Wide2(Wide3 f0, Wide3 f1, Wide3 f2, Wide3 f3, Wide3 f4, Wide3 f5, Wide3 f6, Wide3 f7,
      Wide3 f8, Wide3 f9) {
  }

  record Wide1(Wide2 f0, Wide2 f1, Wide2 f2, Wide2 f3, Wide2 f4, Wide2 f5, Wide2 f6, Wide2 f7,
      Wide2 f8, Wide2 f9) {
  }

  /** Three times ten times ten times ten leaves: past the node bound of 2,000. */
  record Wide0(Wide1 a, Wide1 b, Wide1 c) {
  }

  sealed interface Chain0 permits Chain1 {
  }

  sealed interface Chain1 extends Chain0 permits Chain2 {
  }

  sealed interface Chain2 extends Chain1 permits Chain3 {
  }

  sealed interface Chain3 extends Chain2 permits Chain4 {
  }

  sealed interface Chain4 extends Chain3 permits Chain5 {
  }

  sealed interface Chain5 extends Chain4 permits Chain6 {
  }

  sealed interface Chain6 extends Chain5 permits Chain7 {
  }

  sealed interface Chain7 extends Chain6 permits Chain8 {
  }

  sealed interface Chain8 extends Chain7 permits Chain9 {
  }

  sealed interface Chain9 extends Chain8 permits Chain10 {
  }

  sealed interface Chain10 extends Chain9 permits Chain11 {
  }

  sealed interface Chain11 extends Chain10 permits Chain12 {
  }

  sealed interface Chain12 extends Chain11 permits Chain13 {
  }

  sealed interface Chain13 extends Chain12 permits Chain14 {
  }

  record Chain14(int end) implements Chain13 {
  }

  interface Deep {
    List<List<List<List<List<List<List<List<List<List<List<List<List<List<
        Line>>>>>>>>>>>>>> lists();

    Wrap<Line>[][][][][][][][][][][][][][] genericArrays();

    List<? extends List<? extends List<? extends List<? extends List<? extends List<
        ? extends List<? extends List<? extends Line>>>>>>>> upperWildcards();

    List<? super List<? super List<? super List<? super List<? super List<? super List<
        ? super List<? super Line>>>>>>>> lowerWildcards();

    Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<
        Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<
        Line>>>>>>>>>>>>>>>>>>>>>>>>>>>>>> wraps();

    Cell<Cell<Cell<Cell<Cell<Cell<Cell<Cell<Cell<Cell<Cell<Cell<Cell<Cell<
        Line>>>>>>>>>>>>>> cells();

    Cell<Cell<Cell<Cell<Cell<Cell<Cell<Cell<Line>>>>>>>> cells8();

    Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Wrap<Line>>>>>>>> wraps8();

    Cell<Cell<Cell<Cell<Cell<Cell<Cell<List<List<List<List<List<List<List<List<List<List<List<
        List<List<List<List<Line>>>>>>>>>>>>>>>>>>>>>> cellsOfLongLists();

    List<List<List<List<List<List<List<List<List<List<List<List<List<Wrap<
        Line>[][][][][][][][][][][][][][][]>>>>>>>>>>>>> listsOfGenericArrays();

    List<List<List<List<List<List<List<List<List<List<List<List<List<List<? extends List<
        ? extends List<? extends List<? extends List<? extends List<? extends List<
        ? extends List<? extends List<? extends List<? extends List<? extends List<
        ? extends List<? extends List<? extends List<
        ? extends Line>>>>>>>>>>>>>>>>>>>>>>>>>>>> listsOfUpperWildcardChains();

    List<List<List<List<List<List<List<List<List<List<List<List<List<List<? super List<
        ? super List<? super List<? super List<? super List<? super List<? super List<
        ? super List<? super List<? super List<? super List<? super List<? super List<
        ? super List<? super Line>>>>>>>>>>>>>>>>>>>>>>>>>>>> listsOfLowerWildcardChains();
  }

  private static Map<String, Type> types() throws Exception {
    Map<String, Type> types = new LinkedHashMap<>();
    types.put("Line[] x14", Line[][][][][][][][][][][][][][].class);
    for (String method : List.of("lists", "genericArrays", "upperWildcards", "lowerWildcards",
        "wraps", "cells", "cells8", "wraps8", "cellsOfLongLists", "listsOfGenericArrays",
        "listsOfUpperWildcardChains", "listsOfLowerWildcardChains")) {
      types.put(method, Deep.class.getMethod(method).getGenericReturnType());
    }
    types.put("Chain0 (sealed, 14 deep)", Chain0.class);
    types.put("Wide0 (3,000 leaves)", Wide0.class);
    types.put("Tree (self-reference)", Tree.class);
    types.put("Derived (shadowed field)", Derived.class);
    types.put("Dated (platform class)", Dated.class);
    return types;
  }

  private static final Map<String, String> PINNED = Map.ofEntries(
      Map.entry("Line[] x14",
          "a091d5eee9967f0b8460d88bc3f2a55c3433098862001861e4d6a35448873536"),
      Map.entry("lists",
          "f0795391d1612672b5573a325e133b77e3c23f685c09f39a7f11e0fca5153afb"),
      Map.entry("genericArrays",
          "b349e1f78735ac057693227e5455b4ea1578d17bb99b37ad2d98bd600f4f79ec"),
      Map.entry("upperWildcards",
          "7aa2eacca9cf47e8c21335b3939ab89b6c442b0cd45213339fb2dbdd29f2f19a"),
      Map.entry("lowerWildcards",
          "ae2f98e3a4316aef609b1c3d61647ce6969ba6d5a2041c734c63fda7b0f08c99"),
      Map.entry("wraps",
          "8adaea30aa34beca265b4d87578dd5ed07780eadd150bdeecee94fa7dd9a526b"),
      Map.entry("cells",
          "c2c08fde1567f0feea2bb3f19ac1d5c9115533dd5f5765b12fdd5c630d14edb9"),
      Map.entry("Chain0 (sealed, 14 deep)",
          "f243f651c267c97c4575ebc279d45cc547984995923d7cdbc8f16bc1fd4b2551"),
      Map.entry("Wide0 (3,000 leaves)",
          "706f8eeabfae866c57debe6e884693665ddde02bb73af626ddf2fa92a123e73e"),
      Map.entry("Tree (self-reference)",
          "4e138c9a9eb9adc73c758c29672abc70336f1f695c75edc23f9c0a9406eb5698"),
      Map.entry("Derived (shadowed field)",
          "328c4da6394ba4305fc98fbe894bad4017dbb4f1926da50f9ceee6b5d984fec3"),
      Map.entry("Dated (platform class)",
          "e097fa9c8258211f3c6ddda2b5b0bd3998fca5772b363cc980d54d861f524419"),
      Map.entry("cells8",
          "5b926fc5a57d9be1f998e01cb697ffe5d0c7ebe56177e7021c46b93324031109"),
      Map.entry("wraps8",
          "54b0d41999f0425387584a28dc8c440356969a812403f81589b06b605433224c"),
      Map.entry("cellsOfLongLists",
          "0a8df7cd5beab5179f0eb94d09217f5c24830f70cb5d7ef2904c69aef1aae045"),
      Map.entry("listsOfGenericArrays",
          "c2bc1a017a70656a4942da0d81028075e8a7725d3409207b149a631cb0b084a4"),
      Map.entry("listsOfUpperWildcardChains",
          "53cb1e84df0db34048070dbc17d8729a171613f0295dbbed8f6dfbb47c9b972e"),
      Map.entry("listsOfLowerWildcardChains",
          "cc9c167ddacf1199600f0216dc22caeff018a7316ee50379258b24f20561c64c"));

  @Test
  void fingerprintsAtTheBoundsArePinned() throws Exception {
    Map<String, String> actual = new LinkedHashMap<>();
    types().forEach((name, type) -> actual.put(name, TypeFingerprint.of(type)));
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(PINNED);
  }
}
