package dev.cachet.llm.semantic.bundled;

import dev.cachet.llm.semantic.VectorGraph;
import dev.cachet.llm.semantic.VectorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntPredicate;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Apache Lucene's HNSW graph, on the heap, over a {@code VectorIndex}'s vectors: the
 * approximate search of large partitions. Lucene 9.x because it runs on Java 11+ (Lucene 10
 * needs Java 21).
 */
final class HnswGraph implements VectorGraph {
  private static final int MAX_CONNECTIONS = 16;
  private static final int BEAM_WIDTH = 100;
  /** Candidates explored by a search, at least; more gives better recall. */
  private static final int SEARCH_BEAM = 64;
  private static final long GRAPH_SEED = 42;

  private final OnHeapHnswGraph graph;
  private final HnswGraphBuilder builder;
  private final VectorSource source;

  private HnswGraph(OnHeapHnswGraph graph, HnswGraphBuilder builder, VectorSource source) {
    this.graph = graph;
    this.builder = builder;
    this.source = source;
  }

  /**
   * Builds a graph over the first ordinals of a source.
   *
   * @param source the vectors; not changed while this runs
   * @param count how many ordinals to add
   * @return the graph
   */
  static HnswGraph build(VectorSource source, int count) {
    try {
      HnswGraphBuilder builder = HnswGraphBuilder.create(scorers(source), MAX_CONNECTIONS,
          BEAM_WIDTH, GRAPH_SEED);
      for (int ord = 0; ord < count; ord++) {
        builder.addGraphNode(ord);
      }
      return new HnswGraph(builder.getGraph(), builder, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // on-heap vectors: does not happen
    }
  }

  @Override
  public VectorGraph continueOn(VectorSource live) {
    try {
      // A Lucene builder scores through the vectors it was created with: a fresh builder over
      // the live source continues the same graph.
      return new HnswGraph(graph, new ContinuingBuilder(scorers(live), graph), live);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void add(int ordinal) {
    try {
      builder.addGraphNode(ordinal);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int[] search(float[] unitQuery, int k, IntPredicate accept) {
    try {
      int size = source.size();
      Bits bits = new Bits() {
        @Override
        public boolean get(int index) {
          return accept.test(index);
        }

        @Override
        public int length() {
          return size;
        }
      };
      KnnCollector collector = HnswGraphSearcher.search(
          DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(
              VectorSimilarityFunction.DOT_PRODUCT, new Values(source), unitQuery),
          Math.max(k, SEARCH_BEAM), graph, bits, Integer.MAX_VALUE);
      ScoreDoc[] docs = collector.topDocs().scoreDocs;
      int[] ords = new int[docs.length];
      for (int i = 0; i < docs.length; i++) {
        ords[i] = docs[i].doc;
      }
      return ords;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RandomVectorScorerSupplier scorers(VectorSource source) throws IOException {
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
        VectorSimilarityFunction.DOT_PRODUCT, new Values(source));
  }

  /** Lucene's view of a vector source; reads through it, so appended vectors are visible. */
  private static final class Values implements RandomAccessVectorValues.Floats {
    private final VectorSource source;

    Values(VectorSource source) {
      this.source = source;
    }

    @Override
    public int size() {
      return source.size();
    }

    @Override
    public int dimension() {
      return source.dimension();
    }

    @Override
    public float[] vectorValue(int ord) {
      return source.vector(ord);
    }

    @Override
    public Values copy() {
      return this;
    }
  }

  /** A Lucene graph builder that continues an existing graph. */
  private static final class ContinuingBuilder extends HnswGraphBuilder {
    ContinuingBuilder(RandomVectorScorerSupplier scorers, OnHeapHnswGraph graph)
        throws IOException {
      super(scorers, MAX_CONNECTIONS, BEAM_WIDTH, GRAPH_SEED, graph);
    }
  }
}
