package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operation sequences against a map model: without a size limit or expiry, the store
 * must behave exactly like the map, including return values and counts, across a reopen.
 */
class DiskStoreModelTest {
  @TempDir
  Path dir;

  private record Entry(byte[] frame, List<String> tags) {
  }

  // A plain test looping over the cases, not @ParameterizedTest: PIT's JUnit 5 plugin (1.2.3)
  // credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void behavesLikeAMap() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      behavesLikeAMap(seed, Files.createDirectory(dir.resolve("seed-" + seed)));
    }
  }

  private void behavesLikeAMap(long seed, Path dir) {
    Random random = new Random(seed);
    Map<String, Entry> model = new HashMap<>();
    String[] namespaces = {"a", "b", "c"};
    DiskStoreOptions options = DiskStoreOptions.builder().sideFileThreshold(300)
        .accessFlush(7, java.time.Duration.ofHours(1)).build();
    DiskStore store = DiskStore.open(dir, options);
    try {
      for (int step = 0; step < 600; step++) {
        String ns = namespaces[random.nextInt(namespaces.length)];
        String digest = "d" + random.nextInt(30);
        String key = ns + "/" + digest;
        int op = random.nextInt(100);
        if (op < 35) {
          List<String> tags = new ArrayList<>();
          for (int t = random.nextInt(3); t > 0; t--) {
            tags.add("t" + random.nextInt(4));
          }
          byte[] value = frame(random.nextInt(600), random.nextInt(100));
          store.put(ns, digest, value, 0, tags);
          model.put(key, new Entry(value, tags));
        } else if (op < 75) {
          Entry expected = model.get(key);
          assertThat(store.get(ns, digest)).as("step %d get %s", step, key)
              .isEqualTo(expected == null ? null : expected.frame());
        } else if (op < 88) {
          assertThat(store.remove(ns, digest)).as("step %d remove", step)
              .isEqualTo(model.remove(key) != null);
        } else if (op < 93) {
          String tag = "t" + random.nextInt(4);
          long expected = model.values().stream().filter(e -> e.tags().contains(tag)).count();
          model.values().removeIf(e -> e.tags().contains(tag));
          assertThat(store.removeTag(tag)).as("step %d removeTag", step).isEqualTo(expected);
        } else if (op < 97) {
          long expected = model.keySet().stream().filter(k -> k.startsWith(ns + "/")).count();
          model.keySet().removeIf(k -> k.startsWith(ns + "/"));
          assertThat(store.removeNamespace(ns)).as("step %d removeNamespace", step)
              .isEqualTo(expected);
        } else if (op < 98) {
          store.clear();
          model.clear();
        } else {
          store.close();
          store = DiskStore.open(dir, options);
        }
        if (step % 50 == 0) {
          assertThat(store.stats().entries()).isEqualTo(model.size());
          assertThat(store.stats().bytes()).isEqualTo(
              model.values().stream().mapToLong(e -> e.frame().length).sum());
        }
      }
      assertThat(store.stats().failures()).isZero();
      assertThat(store.stats().corruptions()).isZero();
    } finally {
      store.close();
    }
  }
}
