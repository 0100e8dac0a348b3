package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Unsupported arguments fail fast, with messages that say where, what and how to fix it. */
class KeyErrorMessagesTest {

  record Item(String name, Object lock) {
  }

  record Request(String query, List<Item> items) {
  }

  record Tenant(String id, Object connection) implements KeyPart {
    @Override
    public Object keyPart() {
      return id; // the connection does not change the answer
    }
  }

  record Broken(Object inner) implements KeyPart {
    @Override
    public Object keyPart() {
      return inner;
    }
  }

  static final class Self implements KeyPart {
    @Override
    public Object keyPart() {
      return this;
    }
  }

  /** A user class that only iterates: its content is not in its fields. */
  static final class Numbers implements Iterable<Integer> {
    @Override
    public Iterator<Integer> iterator() {
      return List.of(1, 2).iterator();
    }
  }

  /** A user I/O stream: denied although it is not a JDK class. */
  static final class Source extends InputStream {
    int position;

    @Override
    public int read() throws IOException {
      return -1;
    }
  }

  private static final KeyMaker SEARCH = KeyMaker.of("kb_search", List.of("query", "req"), false);

  private static KeyException failure(KeyMaker maker, Object... args) {
    try {
      maker.keyOf(args);
    } catch (KeyException e) {
      return e;
    }
    throw new AssertionError("no KeyException for " + List.of(args));
  }

  @Test
  void threadAtTopLevel() {
    KeyMaker maker = KeyMaker.of("kb_search", List.of("worker"), false);
    assertThatThrownBy(() -> maker.keyOf(new Thread(() -> { })))
        .isInstanceOf(KeyException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build a cache key for parameter 'worker' of kb_search: type "
            + "java.lang.Thread has no stable value. Ignore it with .ignore(\"worker\"), give a "
            + "key function with .keyBy(...), or implement dev.cachet.key.KeyPart.");
  }

  @Test
  void nestedLockNamesThePath() {
    Request req = new Request("q", List.of(new Item("a", "x"), new Item("b", 1),
        new Item("c", new ReentrantLock())));
    KeyException e = failure(SEARCH, "q", req);
    assertThat(e).hasMessage("Cannot build a cache key for parameter 'req' of kb_search (at "
        + "req.items[2].lock): type java.util.concurrent.locks.ReentrantLock has no stable "
        + "value. Ignore it with .ignore(\"req\"), give a key function with .keyBy(...), or "
        + "implement dev.cachet.key.KeyPart.");
    assertThat(e.functionName()).isEqualTo("kb_search");
    assertThat(e.parameterName()).isEqualTo("req");
    assertThat(e.path()).isEqualTo("req.items[2].lock");
    assertThat(e.typeName()).isEqualTo("java.util.concurrent.locks.ReentrantLock");
  }

  @Test
  void inputStream() {
    KeyException e = failure(SEARCH, new ByteArrayInputStream(new byte[0]), "x");
    assertThat(e).hasMessageStartingWith("Cannot build a cache key for parameter 'query' of "
        + "kb_search: type java.io.ByteArrayInputStream has no stable value.");
    assertThat(failure(SEARCH, "q", new Source())).hasMessageContaining(
        "type dev.cachet.key.KeyErrorMessagesTest$Source has no stable value (it is a "
            + "java.lang.AutoCloseable)");
  }

  @Test
  void stream() {
    KeyException e = failure(SEARCH, "q", Map.of("s", Stream.of(1, 2)));
    assertThat(e.getMessage()).startsWith(
        "Cannot build a cache key for parameter 'req' of kb_search (at req[\"s\"]): type "
            + "java.util.stream.");
    assertThat(e.path()).isEqualTo("req[\"s\"]");
  }

  @Test
  void lambda() {
    Supplier<String> supplier = () -> "x";
    KeyException e = failure(SEARCH, "q", supplier);
    assertThat(e.getMessage())
        .startsWith("Cannot build a cache key for parameter 'req' of kb_search: type "
            + "dev.cachet.key.KeyErrorMessagesTest$$Lambda")
        .contains("has no stable value (a lambda or other hidden/synthetic class")
        .endsWith("Ignore it with .ignore(\"req\"), give a key function with .keyBy(...), or "
            + "implement dev.cachet.key.KeyPart.");
  }

  @Test
  void anonymousClassCapturingState() {
    String captured = "c";
    Object anonymous = new Object() {
      @Override
      public String toString() {
        return captured;
      }
    };
    assertThat(failure(SEARCH, "q", anonymous)).hasMessageContaining(
        "captures an enclosing instance or local variables");
  }

  @Test
  void iterableThatIsNotACollection() {
    assertThat(failure(SEARCH, "q", List.of(new Numbers()))).hasMessageContaining(
        "(at req[0]): type dev.cachet.key.KeyErrorMessagesTest$Numbers has no stable value "
            + "(it is a java.lang.Iterable)");
  }

  @Test
  void otherJdkTypes() {
    assertThat(failure(SEARCH, "q", new java.util.concurrent.atomic.AtomicInteger()))
        .hasMessageContaining("type java.util.concurrent.atomic.AtomicInteger has no stable");
    assertThat(failure(SEARCH, "q", List.of(1).iterator()).typeName()).startsWith("java.util.");
  }

  @Test
  void keyPartStandsInForItsObject() {
    KeyMaker maker = KeyMaker.of("load", List.of("tenant", "day"), false);
    Object key = maker.keyOf(new Object[] {new Tenant("t1", new ReentrantLock()), 3});
    assertThat(key).isEqualTo(maker.keyOf(new Object[] {"t1", 3L}));
    assertThat(maker.keyOf(new Tenant("t1", new Object()))).isEqualTo("t1");
  }

  @Test
  void keyPartProblemsNameTheIndirection() {
    KeyMaker maker = KeyMaker.of("load", List.of("tenant"), false);
    assertThatThrownBy(() -> maker.keyOf(List.of(new Broken(new ReentrantLock()))))
        .hasMessageContaining("(at tenant[0].keyPart()): type "
            + "java.util.concurrent.locks.ReentrantLock has no stable value");
    assertThatThrownBy(() -> maker.keyOf(new Self()))
        .hasMessageContaining("its keyPart() returns the object itself");
  }

  @Test
  void missingParameterNamesFallBackToPositions() {
    KeyMaker maker = KeyMaker.of("f", List.of("a"), false);
    assertThat(failure(maker, "x", new Object[] {new Thread(() -> { })}).getMessage())
        .startsWith("Cannot build a cache key for parameter 'arg1' of f (at arg1[0]): ");
  }

  @Test
  void withoutAFunction() {
    assertThatThrownBy(() -> KeySnapshot.of(List.of("a", new ReentrantLock()), true))
        .isInstanceOf(KeyException.class)
        .hasMessage("Cannot build a cache key for a value (at value[1]): type "
            + "java.util.concurrent.locks.ReentrantLock has no stable value. Convert it to a "
            + "supported value (see docs/KEY-FORMAT.md) or implement dev.cachet.key.KeyPart.");
    assertThatThrownBy(() -> KeyDigest.sha256Hex(new Thread(() -> { }), false))
        .isInstanceOf(KeyException.class);
  }

  @Test
  void encodingRejectsRawCompounds() {
    assertThatThrownBy(() -> CanonicalEncoding.encode(List.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a key snapshot: java.util.ImmutableCollections");
  }
}
