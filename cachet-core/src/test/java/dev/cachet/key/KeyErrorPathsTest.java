package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The path an error message shows to the value that has no stable key, through every kind of
 * container: the user reads it to find which part of an argument to ignore or convert.
 */
class KeyErrorPathsTest {

  private static final Object LOCK = new ReentrantLock();

  /** A KeyPart that stands for another value, {@code depth} indirections deep. */
  record Hop(int depth, Object end) implements KeyPart {
    @Override
    public Object keyPart() {
      return depth == 0 ? end : new Hop(depth - 1, end);
    }
  }

  private static KeyException failure(Object arg) {
    KeyMaker maker = KeyMaker.of("fetch", List.of("req"), false);
    try {
      maker.keyOf(arg);
    } catch (KeyException e) {
      return e;
    }
    throw new AssertionError("no KeyException for " + arg);
  }

  private static String path(Object arg) {
    return failure(arg).path();
  }

  @Test
  void pathsNameListIndexesOptionalsSetsAndMaps() {
    assertThat(path(List.of("a", "b", LOCK))).isEqualTo("req[2]");
    assertThat(path(new Object[] {"a", LOCK})).isEqualTo("req[1]");
    assertThat(path(Optional.of(LOCK))).isEqualTo("req.get()");
    assertThat(path(Set.of(LOCK))).isEqualTo("req{#0}");
    assertThat(path(Map.of(LOCK, "v"))).isEqualTo("req{key #0}");
    assertThat(path(Map.of("name", LOCK))).isEqualTo("req[\"name\"]");
    assertThat(path(List.of(Optional.of(List.of("x", LOCK))))).isEqualTo("req[0].get()[1]");
  }

  @Test
  void mapEntriesAreCountedInIterationOrder() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(List.of("k1"), "fine");
    map.put(List.of("k2"), "fine");
    map.put(List.of("k3"), LOCK);
    assertThat(path(map)).isEqualTo("req[entry #2]");
    Map<Object, Object> keys = new LinkedHashMap<>();
    keys.put("a", 1);
    keys.put(List.of(LOCK), 2);
    assertThat(path(keys)).isEqualTo("req{key #1}[0]");
  }

  enum Color { RED }

  @Test
  void mapKeysAreShownOnlyWhenShortAndSafe() {
    String forty = "k".repeat(40);
    assertThat(path(Map.of(forty, LOCK))).isEqualTo("req[\"" + forty + "\"]");
    assertThat(path(Map.of(forty + "k", LOCK))).isEqualTo("req[entry #0]");
    assertThat(path(Map.of(7, LOCK))).isEqualTo("req[7]");
    assertThat(path(Map.of(true, LOCK))).isEqualTo("req[true]");
    assertThat(path(Map.of('c', LOCK))).isEqualTo("req[c]");
    assertThat(path(Map.of(Color.RED, LOCK))).isEqualTo("req[RED]");
    UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(path(Map.of(id, LOCK))).isEqualTo("req[" + id + "]");
    // Any other key's toString may be long, slow or secret: its position stands for it.
    assertThat(path(Map.of(List.of("x"), LOCK))).isEqualTo("req[entry #0]");
  }

  record Holder(Object inner) {
  }

  @Test
  void keyPartIndirectionsAppearInThePath() {
    assertThat(path(new Hop(0, LOCK))).isEqualTo("req.keyPart()");
    assertThat(path(new Holder(new Hop(1, LOCK)))).isEqualTo("req.inner.keyPart().keyPart()");
  }

  @Test
  void aKeyPartOfNullIsTheNullKey() {
    assertThat(KeySnapshot.of(new Hop(0, null))).isEqualTo(KeySnapshot.NULL);
    assertThat(KeySnapshot.of(List.of(new Hop(2, null)))).isEqualTo(KeySnapshot.of(
        java.util.Arrays.asList((Object) null)));
  }

  @Test
  void keyPartChainsMayBeAsDeepAsTheDepthLimit() {
    // MAX_DEPTH keyPart() calls are followed; one more is refused.
    assertThat(KeySnapshot.of(new Hop(KeySnapshot.MAX_DEPTH - 1, "end")))
        .isEqualTo(KeySnapshot.of("end"));
    assertThatThrownBy(() -> KeySnapshot.of(new Hop(KeySnapshot.MAX_DEPTH, "end")))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("keyPart() values nest deeper than 256 levels");
  }

  @Test
  void theTopLevelProblemIsNotRepeatedAsAPath() {
    KeyException e = failure(LOCK);
    assertThat(e.path()).isEqualTo("req");
    assertThat(e.getMessage()).startsWith("Cannot build a cache key for parameter 'req' of "
        + "fetch: type java.util.concurrent.locks.ReentrantLock");
    assertThat(failure(List.of(LOCK)).getMessage()).contains("'req' of fetch (at req[0]):");
  }

  @Test
  void aVeryLongPathKeepsBothEnds() {
    Object v = LOCK;
    for (int i = 0; i < 200; i++) {
      v = List.of("pad", v);
    }
    String path = path(v);
    assertThat(path).hasSize(403).startsWith("req[1][1]").endsWith("[1][1]").contains("...");
    assertThat(path(nest(40))).doesNotContain("...");
  }

  private static Object nest(int levels) {
    Object v = LOCK;
    for (int i = 0; i < levels; i++) {
      v = List.of(v);
    }
    return v;
  }

  @Test
  void theSecondArgumentIsNamedInItsOwnErrors() {
    KeyMaker maker = KeyMaker.of("search", List.of("query", "filters"), false);
    KeyException e = catchKey(() -> maker.keyOf(new Object[] {List.of("ok"), List.of(LOCK)}));
    assertThat(e.parameterName()).isEqualTo("filters");
    assertThat(e.path()).isEqualTo("filters[0]");
    KeyMaker unnamed = KeyMaker.of("search", List.of(), false);
    assertThat(catchKey(() -> unnamed.keyOf(new Object[] {"a", List.of(LOCK)})).path())
        .isEqualTo("arg1[0]");
  }

  @Test
  void theNodeLimitCountsTheWholeCall() {
    // MAX_NODES values in all are accepted (the list itself is one of them); one more is not.
    List<Object> fits = new ArrayList<>(KeySnapshot.MAX_NODES);
    for (int i = 0; i < KeySnapshot.MAX_NODES - 1; i++) {
      fits.add(i % 7);
    }
    assertThat(KeySnapshot.of(fits)).isNotNull();
    fits.add(1);
    assertThatThrownBy(() -> KeySnapshot.of(fits)).isInstanceOf(KeyException.class)
        .hasMessageContaining("more than 1000000 values");
  }

  @Test
  void aKeyMakerReportsWhatItWasMadeWith() {
    KeyMaker maker = KeyMaker.of("search", List.of("query"), true);
    assertThat(maker.functionName()).isEqualTo("search");
    assertThat(maker.parameterNames()).containsExactly("query");
    assertThat(maker.typed()).isTrue();
    assertThat(KeyMaker.of("f", List.of(), false).typed()).isFalse();
    assertThat(maker.toString()).isEqualTo("KeyMaker[search[query], typed]");
    assertThat(KeyMaker.of("f", List.of("a"), false).toString()).isEqualTo("KeyMaker[f[a]]");
  }

  private static KeyException catchKey(Runnable r) {
    try {
      r.run();
    } catch (KeyException e) {
      return e;
    }
    throw new AssertionError("no KeyException");
  }
}
