package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The key hashes are part of the store's format: the same in every JVM and every release. */
class EntryKeysTest {
  @Test
  void hashesAreTheOnesStoresWereWrittenWith() {
    // Stores on disk have rows at these rowids: a change here needs a schema version and a
    // migration, or every entry is lost to misses.
    assertThat(hashes("fn:1:code:type", "abc"))
        .containsExactly(8722646688562757184L, -6668838705161846914L);
  }

  @Property
  void neverZeroAndTheSeparatorCounts(@ForAll String namespace, @ForAll String digest) {
    long[] key = hashes(namespace, digest);
    assertThat(key[0]).isNotZero();
    assertThat(key[1]).isNotZero();
    if (!digest.isEmpty()) {
      // Moving a character across the separator makes another key, and other hashes.
      long[] moved = hashes(namespace + digest.charAt(0), digest.substring(1));
      assertThat(moved[0]).isNotEqualTo(key[0]);
      assertThat(moved[1]).isNotEqualTo(key[1]);
    }
  }

  static long[] hashes(String namespace, String digest) {
    long[] out = new long[2];
    EntryKeys.hash(namespace, digest, out);
    return out;
  }
}
