package dev.cachet.llm.semantic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Nearest neighbours by cosine similarity over unit vectors, keyed by string ids: exact
 * (brute-force) search while the index is small, an HNSW graph (Apache Lucene's) once it holds
 * more than {@code annThreshold} live vectors.
 *
 * <p>Why both: exact search is exact and costs nothing to maintain, but its time grows with
 * the size (about 0.1 ms per 1,000 vectors of 384 dimensions on one core, see the module's
 * benchmark); HNSW answers in about a millisecond at 100,000 vectors but may miss a
 * neighbour and costs a graph insertion per vector. The graph is built from the stored vectors
 * in the background (common pool) once an insertion crosses the threshold, outside the lock,
 * so readers keep searching exactly meanwhile.
 *
 * <p>Storage is append-only (an ordinal per insertion, removals are a bit), so a graph being
 * built never sees a vector change; when removed vectors outnumber live ones the storage is
 * compacted. Thread-safe: searches share a read lock, changes take the write lock.
 */
public final class VectorIndex {
  /** Default size past which the index switches to HNSW, from the module's measurements. */
  public static final int DEFAULT_ANN_THRESHOLD = 5_000;
  private static final int MAX_CONNECTIONS = 16;
  private static final int BEAM_WIDTH = 100;
  /** Candidates explored by an HNSW search, at least; more gives better recall. */
  private static final int SEARCH_BEAM = 64;
  private static final long GRAPH_SEED = 42;

  private final int dimension;
  private final int annThreshold;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicBoolean building = new AtomicBoolean();

  // Guarded by lock.
  private float[][] vectors = new float[64][];
  private String[] ids = new String[64];
  private int count;
  private final BitSet live = new BitSet();
  private final Map<String, Integer> ordinals = new HashMap<>();
  private OnHeapHnswGraph graph; // null while exact
  private HnswGraphBuilder graphBuilder;

  /**
   * Creates an empty index.
   *
   * @param dimension the length of every vector
   * @param annThreshold live vectors past which search uses HNSW; {@link Integer#MAX_VALUE}
   *     for always exact, 0 for always HNSW
   */
  public VectorIndex(int dimension, int annThreshold) {
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive, got " + dimension);
    }
    if (annThreshold < 0) {
      throw new IllegalArgumentException("annThreshold must be >= 0, got " + annThreshold);
    }
    this.dimension = dimension;
    this.annThreshold = annThreshold;
  }

  /** A neighbour found by {@link #search}.
   *
   * @param id the id given to {@link #put}
   * @param similarity cosine similarity to the query, -1 to 1
   */
  public record Neighbor(String id, float similarity) {
  }

  /**
   * Adds or replaces the vector of an id.
   *
   * @param id the entry's id
   * @param unitVector a vector of length {@code dimension} and norm 1 (not copied: do not
   *     change it afterwards)
   */
  public void put(String id, float[] unitVector) {
    Objects.requireNonNull(id, "id");
    if (unitVector.length != dimension) {
      throw new IllegalArgumentException("Expected a vector of " + dimension
          + " dimensions, got " + unitVector.length);
    }
    lock.writeLock().lock();
    try {
      Integer old = ordinals.remove(id);
      if (old != null) {
        live.clear(old);
        ids[old] = null;
      }
      if (count == vectors.length) {
        int n = vectors.length * 2;
        vectors = java.util.Arrays.copyOf(vectors, n); // a new array: builders keep the old one
        ids = java.util.Arrays.copyOf(ids, n);
      }
      int ord = count++;
      vectors[ord] = unitVector;
      ids[ord] = id;
      live.set(ord);
      ordinals.put(id, ord);
      if (graph != null) {
        addToGraph(ord);
      }
      compactIfSparse();
    } finally {
      lock.writeLock().unlock();
    }
    maybeStartGraph();
  }

  /** Starts building a graph when the index is past its threshold and has none. */
  private void maybeStartGraph() {
    int liveNow;
    lock.readLock().lock();
    try {
      if (graph != null) {
        return;
      }
      liveNow = ordinals.size();
    } finally {
      lock.readLock().unlock();
    }
    if (liveNow <= annThreshold || !building.compareAndSet(false, true)) {
      return;
    }
    if (liveNow < 1024) {
      buildGraph(); // cheap: keeps small indexes (and tests) deterministic
    } else {
      // Seconds of work at tens of thousands of vectors: done off the caller's thread (in the
      // common pool, so the index owns no thread); searches stay exact meanwhile.
      java.util.concurrent.ForkJoinPool.commonPool().execute(this::buildGraph);
    }
  }

  /**
   * Removes the vector of an id.
   *
   * @param id the entry's id
   * @return whether it was present
   */
  public boolean remove(String id) {
    lock.writeLock().lock();
    try {
      Integer ord = ordinals.remove(id);
      if (ord == null) {
        return false;
      }
      live.clear(ord);
      ids[ord] = null;
      compactIfSparse();
    } finally {
      lock.writeLock().unlock();
    }
    maybeStartGraph();
    return true;
  }

  /**
   * Whether an id is present.
   *
   * @param id the entry's id
   * @return true if it has a vector
   */
  public boolean contains(String id) {
    lock.readLock().lock();
    try {
      return ordinals.containsKey(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The number of live vectors.
   *
   * @return the size
   */
  public int size() {
    lock.readLock().lock();
    try {
      return ordinals.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Whether searches currently use the HNSW graph.
   *
   * @return true once the index has grown past its threshold
   */
  public boolean isApproximate() {
    lock.readLock().lock();
    try {
      return graph != null;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The most similar vectors, most similar first.
   *
   * @param unitQuery a vector of norm 1
   * @param k how many neighbours at most
   * @return up to {@code k} neighbours
   */
  public List<Neighbor> search(float[] unitQuery, int k) {
    if (unitQuery.length != dimension) {
      throw new IllegalArgumentException("Expected a query of " + dimension
          + " dimensions, got " + unitQuery.length);
    }
    lock.readLock().lock();
    try {
      if (ordinals.isEmpty() || k <= 0) {
        return List.of();
      }
      return graph == null ? exact(unitQuery, k) : approximate(unitQuery, k);
    } finally {
      lock.readLock().unlock();
    }
  }

  private List<Neighbor> exact(float[] q, int k) {
    PriorityQueue<Neighbor> best = new PriorityQueue<>(k + 1,
        Comparator.comparingDouble(Neighbor::similarity));
    float floor = -2;
    for (int ord = live.nextSetBit(0); ord >= 0; ord = live.nextSetBit(ord + 1)) {
      float s = VectorUtil.dotProduct(q, vectors[ord]);
      if (best.size() < k || s > floor) {
        best.add(new Neighbor(ids[ord], s));
        if (best.size() > k) {
          best.poll();
        }
        floor = best.peek().similarity();
      }
    }
    List<Neighbor> out = new ArrayList<>(best);
    out.sort(Comparator.comparingDouble(Neighbor::similarity).reversed());
    return out;
  }

  private List<Neighbor> approximate(float[] q, int k) {
    try {
      Values values = new Values(vectors, count, dimension);
      RandomVectorScorer scorer = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(
          VectorSimilarityFunction.DOT_PRODUCT, values, q);
      Bits accept = new Bits() {
        @Override
        public boolean get(int index) {
          return live.get(index);
        }

        @Override
        public int length() {
          return count;
        }
      };
      KnnCollector collector = HnswGraphSearcher.search(scorer, Math.max(k, SEARCH_BEAM),
          graph, accept, Integer.MAX_VALUE);
      List<Neighbor> out = new ArrayList<>();
      for (ScoreDoc doc : collector.topDocs().scoreDocs) {
        if (out.size() == k) {
          break;
        }
        // Lucene scales dot products to (1 + dot) / 2; recompute the exact cosine.
        out.add(new Neighbor(ids[doc.doc], VectorUtil.dotProduct(q, vectors[doc.doc])));
      }
      out.sort(Comparator.comparingDouble(Neighbor::similarity).reversed());
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // on-heap vectors: does not happen
    }
  }

  /** Builds a graph over the current ordinals outside the lock, then catches up and swaps. */
  private void buildGraph() {
    try {
      float[][] snapshot;
      int n;
      lock.readLock().lock();
      try {
        snapshot = vectors;
        n = count;
      } finally {
        lock.readLock().unlock();
      }
      Values values = new Values(snapshot, n, dimension);
      HnswGraphBuilder builder = newBuilder(values);
      for (int ord = 0; ord < n; ord++) {
        builder.addGraphNode(ord);
      }
      lock.writeLock().lock();
      try {
        if (graph == null && count >= n && vectors.length >= n && sameStorage(snapshot, n)) {
          graphBuilder = builder;
          graph = builder.getGraph();
          // Rebind the builder to the live storage and add what arrived meanwhile.
          rebindAndCatchUp(n);
        }
      } finally {
        lock.writeLock().unlock();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      building.set(false);
    }
    // A compaction during the build made it useless: build again over the new storage.
    maybeStartGraph();
  }

  private boolean sameStorage(float[][] snapshot, int n) {
    // Compaction renumbers ordinals; a graph built before it is useless.
    for (int i = 0; i < n; i++) {
      if (snapshot[i] != vectors[i]) {
        return false;
      }
    }
    return true;
  }

  private int graphSize;

  private void rebindAndCatchUp(int built) throws IOException {
    // The builder scores through the Values it was created with, a fixed snapshot; build a
    // fresh builder over the live storage that continues the same graph.
    graphBuilder = new ContinuingBuilder(scorers(), graph);
    graphSize = built;
    for (int ord = built; ord < count; ord++) {
      addToGraph(ord);
    }
  }

  private void addToGraph(int ord) {
    try {
      if (ord != graphSize) {
        throw new IllegalStateException("graph out of step: " + ord + " vs " + graphSize);
      }
      graphBuilder.addGraphNode(ord);
      graphSize++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RandomVectorScorerSupplier scorers() throws IOException {
    // Reads the index's current storage on every call, so appended vectors are visible.
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
        VectorSimilarityFunction.DOT_PRODUCT, new LiveValues());
  }

  private HnswGraphBuilder newBuilder(Values values) throws IOException {
    return HnswGraphBuilder.create(DefaultFlatVectorScorer.INSTANCE
        .getRandomVectorScorerSupplier(VectorSimilarityFunction.DOT_PRODUCT, values),
        MAX_CONNECTIONS, BEAM_WIDTH, GRAPH_SEED);
  }

  /** Compacts when removed vectors outnumber live ones (and there are enough to matter). */
  private void compactIfSparse() {
    int liveCount = ordinals.size();
    int dead = count - liveCount;
    if (dead < 1024 || dead < liveCount) {
      return;
    }
    float[][] newVectors = new float[Math.max(64, liveCount * 2)][];
    String[] newIds = new String[newVectors.length];
    int n = 0;
    for (int ord = live.nextSetBit(0); ord >= 0; ord = live.nextSetBit(ord + 1)) {
      newVectors[n] = vectors[ord];
      newIds[n] = ids[ord];
      ordinals.put(ids[ord], n);
      n++;
    }
    vectors = newVectors;
    ids = newIds;
    count = n;
    live.clear();
    live.set(0, n);
    // Ordinals changed: the graph is rebuilt in the background (maybeStartGraph after the
    // lock is released), and searches are exact until it is ready.
    graph = null;
    graphBuilder = null;
    graphSize = 0;
  }

  /** Vectors by ordinal over a fixed snapshot of the storage. */
  private static final class Values implements RandomAccessVectorValues.Floats {
    private final float[][] vectors;
    private final int size;
    private final int dimension;

    Values(float[][] vectors, int size, int dimension) {
      this.vectors = vectors;
      this.size = size;
      this.dimension = dimension;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public float[] vectorValue(int ord) {
      return vectors[ord];
    }

    @Override
    public Values copy() {
      return this;
    }
  }

  /** Vectors by ordinal over the index's current storage (used under the write lock). */
  private final class LiveValues implements RandomAccessVectorValues.Floats {
    @Override
    public int size() {
      return count;
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public float[] vectorValue(int ord) {
      return vectors[ord];
    }

    @Override
    public LiveValues copy() {
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
