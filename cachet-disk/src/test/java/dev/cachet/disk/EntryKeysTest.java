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
    assertThat(EntryKeys.rowid("fn:1:code:type", "abc")).isEqualTo(8722646688562757184L);
    assertThat(EntryKeys.check("fn:1:code:type", "abc")).isEqualTo(-6668838705161846914L);
  }

  @Property
  void neverZeroAndTheSeparatorCounts(@ForAll String namespace, @ForAll String digest) {
    assertThat(EntryKeys.rowid(namespace, digest)).isNotZero();
    assertThat(EntryKeys.check(namespace, digest)).isNotZero();
    if (!digest.isEmpty()) {
      // Moving a character across the separator makes another key, and other hashes.
      String movedNs = namespace + digest.charAt(0);
      String movedDigest = digest.substring(1);
      assertThat(EntryKeys.rowid(movedNs, movedDigest))
          .isNotEqualTo(EntryKeys.rowid(namespace, digest));
      assertThat(EntryKeys.check(movedNs, movedDigest))
          .isNotEqualTo(EntryKeys.check(namespace, digest));
    }
  }
}
