package dev.cachet.llm.semantic.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.llm.semantic.VectorIndex;
import dev.cachet.llm.semantic.Vectors;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** VectorIndex past its threshold with this module's provider: Lucene's HNSW graph. */
class HnswGraphTest {
  private static float[] random(Random r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Vectors.normalize(v);
  }

  @Test
  void theBundledProviderIsFoundByServiceLoader() {
    assertThat(dev.cachet.llm.semantic.SemanticProviders.installed())
        .get().isInstanceOf(BundledSemantic.class);
  }

  @Test
  void hnswAgreesWithExactSearchPastTheThreshold() {
    int dim = 32;
    Random r = new Random(7);
    VectorIndex exact = new VectorIndex(dim, Integer.MAX_VALUE);
    VectorIndex ann = new VectorIndex(dim, 500);
    for (int i = 0; i < 3000; i++) {
      float[] v = random(r, dim);
      exact.put("v" + i, v);
      ann.put("v" + i, v);
    }
    for (int i = 0; i < 200; i++) {
      ann.remove("v" + i);
      exact.remove("v" + i);
    }
    assertThat(ann.isApproximate()).isTrue();
    assertThat(exact.isApproximate()).isFalse();
    int agree = 0;
    for (int q = 0; q < 100; q++) {
      float[] query = random(r, dim);
      List<VectorIndex.Neighbor> e = exact.search(query, 1);
      List<VectorIndex.Neighbor> a = ann.search(query, 1);
      agree += e.get(0).id().equals(a.get(0).id()) ? 1 : 0;
      assertThat(a.get(0).id()).doesNotMatch("v([0-9]|[0-9][0-9]|1[0-9][0-9])");
    }
    assertThat(agree).as("top-1 recall of HNSW").isGreaterThanOrEqualTo(90);
  }

  @Test
  void aLargeGraphIsBuiltInTheBackgroundWhileSearchesStayExact() throws Exception {
    int dim = 16;
    Random r = new Random(3);
    VectorIndex index = new VectorIndex(dim, 1500);
    float[] first = random(r, dim);
    index.put("first", first);
    for (int i = 0; i < 1600; i++) {
      index.put("v" + i, random(r, dim));
    }
    // Correct answers whether or not the graph is ready yet.
    assertThat(index.search(first, 1).get(0).id()).isEqualTo("first");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!index.isApproximate() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
    assertThat(index.isApproximate()).as("graph built within 30 s").isTrue();
    index.put("late", random(r, dim)); // added to the graph after the swap
    assertThat(index.search(first, 1).get(0).id()).isEqualTo("first");
    assertThat(index.size()).isEqualTo(1602);
  }

  @Test
  void compactionAfterManyRemovalsKeepsResultsRightAndRebuildsTheGraph() {
    int dim = 16;
    Random r = new Random(11);
    VectorIndex index = new VectorIndex(dim, 500);
    float[][] vectors = new float[3000][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = random(r, dim);
      index.put("v" + i, vectors[i]);
    }
    for (int i = 0; i < 2000; i++) {
      index.remove("v" + i);
    }
    assertThat(index.size()).isEqualTo(1000);
    for (int i = 2000; i < 3000; i += 97) { // right while the graph is rebuilt, and after
      assertThat(index.search(vectors[i], 1).get(0).id()).isEqualTo("v" + i);
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!index.isApproximate() && System.nanoTime() < deadline) {
      Thread.yield();
    }
    assertThat(index.isApproximate()).as("graph rebuilt after compaction").isTrue();
    for (int i = 2000; i < 3000; i += 97) {
      assertThat(index.search(vectors[i], 1).get(0).id()).isEqualTo("v" + i);
    }
    assertThat(index.search(vectors[5], 3)).extracting(VectorIndex.Neighbor::id)
        .allMatch(id -> Integer.parseInt(id.substring(1)) >= 2000);
  }
}
