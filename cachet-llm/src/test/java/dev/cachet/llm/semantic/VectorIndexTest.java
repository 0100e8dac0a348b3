package dev.cachet.llm.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Exact search, and how the index drives a provider's graph (HNSW itself: HnswGraphTest). */
class VectorIndexTest {
  private static float[] random(Random r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Vectors.normalize(v);
  }

  @Test
  void exactSearchFindsTheNearestAndForgetsRemovedIds() {
    VectorIndex index = new VectorIndex(8, Integer.MAX_VALUE);
    Random r = new Random(1);
    float[] a = random(r, 8);
    index.put("a", a);
    index.put("b", random(r, 8));
    assertThat(index.search(a, 1)).extracting(VectorIndex.Neighbor::id).containsExactly("a");
    assertThat(index.search(a, 1).get(0).similarity()).isCloseTo(1f,
        org.assertj.core.data.Offset.offset(1e-5f));
    assertThat(index.remove("a")).isTrue();
    assertThat(index.search(a, 2)).extracting(VectorIndex.Neighbor::id).containsExactly("b");
    index.put("b", a); // replace
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.search(a, 1).get(0).similarity()).isGreaterThan(0.999f);
  }

  @Test
  void withoutAProviderSearchStaysExactPastTheThreshold() {
    int dim = 16;
    Random r = new Random(5);
    VectorIndex index = new VectorIndex(dim, 10, Optional.empty());
    float[][] vectors = new float[200][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = random(r, dim);
      index.put("v" + i, vectors[i]);
    }
    assertThat(index.isApproximate()).isFalse();
    for (int i = 0; i < vectors.length; i += 13) {
      assertThat(index.search(vectors[i], 1).get(0).id()).isEqualTo("v" + i);
    }
  }

  @Test
  void aProvidersGraphIsBuiltPastTheThresholdAndItsCandidatesAreScoredExactly() {
    int dim = 8;
    Random r = new Random(9);
    AtomicInteger built = new AtomicInteger();
    // A "graph" that ranks every live ordinal by brute force: what the index must do is feed it
    // every ordinal once, in order, over its live storage, and keep removed ids out.
    SemanticProvider everything = new SemanticProvider() {
      @Override
      public Embedder embedder() {
        throw new UnsupportedOperationException();
      }

      @Override
      public VectorGraph buildGraph(VectorSource vectors, int count) {
        built.incrementAndGet();
        return new ListGraph(count);
      }
    };
    VectorIndex index = new VectorIndex(dim, 20, Optional.of(everything));
    float[][] vectors = new float[50][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = random(r, dim);
      index.put("v" + i, vectors[i]);
    }
    assertThat(index.isApproximate()).isTrue();
    assertThat(built).hasValue(1);
    index.remove("v7");
    for (int i = 0; i < vectors.length; i += 7) {
      List<VectorIndex.Neighbor> found = index.search(vectors[i], 2);
      assertThat(found).hasSize(2);
      assertThat(found.get(0).similarity()).isGreaterThanOrEqualTo(found.get(1).similarity());
      if (i != 7) {
        assertThat(found.get(0).id()).isEqualTo("v" + i);
        assertThat(found.get(0).similarity()).isCloseTo(1f,
            org.assertj.core.data.Offset.offset(1e-5f));
      } else {
        assertThat(found).extracting(VectorIndex.Neighbor::id).doesNotContain("v7");
      }
    }
  }

  /** Ranks every accepted ordinal; checks that ordinals arrive once each, in order. */
  private static final class ListGraph implements VectorGraph {
    private int size;
    private VectorSource source;

    ListGraph(int size) {
      this.size = size;
    }

    @Override
    public VectorGraph continueOn(VectorSource live) {
      this.source = live;
      return this;
    }

    @Override
    public void add(int ordinal) {
      assertThat(ordinal).isEqualTo(size);
      assertThat(source.vector(ordinal)).hasSize(source.dimension());
      size++;
    }

    @Override
    public int[] search(float[] unitQuery, int k, IntPredicate accept) {
      return IntStream.range(0, size).filter(accept).boxed()
          .sorted(Comparator.comparingDouble(ord -> -Vectors.dot(unitQuery, source.vector(ord))))
          .mapToInt(Integer::intValue).toArray();
    }
  }
}
