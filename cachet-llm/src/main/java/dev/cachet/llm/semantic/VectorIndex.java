package dev.cachet.llm.semantic;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Nearest neighbours by cosine similarity over unit vectors, keyed by string ids: exact
 * (brute-force) search while the index is small, an approximate graph (HNSW, Apache Lucene's,
 * from the {@link SemanticProvider} of {@code cachet-llm-semantic}) once it holds more than
 * {@code annThreshold} live vectors. Without a provider on the class path, search stays exact
 * at every size.
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

  private final int dimension;
  private final int annThreshold;
  private final SemanticProvider graphs; // null: exact at every size
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicBoolean building = new AtomicBoolean();

  // Guarded by lock.
  private float[][] vectors = new float[64][];
  private String[] ids = new String[64];
  private int count;
  private final BitSet live = new BitSet();
  private final Map<String, Integer> ordinals = new HashMap<>();
  private VectorGraph graph; // null while exact

  /**
   * Creates an empty index that uses the installed {@link SemanticProvider}'s graph past the
   * threshold, if there is a provider on the class path ({@code cachet-llm-semantic}).
   *
   * @param dimension the length of every vector
   * @param annThreshold live vectors past which search uses HNSW; {@link Integer#MAX_VALUE}
   *     for always exact, 0 for always HNSW (when a provider is installed)
   */
  public VectorIndex(int dimension, int annThreshold) {
    this(dimension, annThreshold, SemanticProviders.installed());
  }

  /**
   * Creates an empty index with a given source of graphs.
   *
   * @param dimension the length of every vector
   * @param annThreshold live vectors past which search uses the provider's graph;
   *     {@link Integer#MAX_VALUE} for always exact, 0 for always approximate
   * @param graphs builds the approximate graph; empty for exact search at every size
   */
  public VectorIndex(int dimension, int annThreshold, Optional<SemanticProvider> graphs) {
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive, got " + dimension);
    }
    if (annThreshold < 0) {
      throw new IllegalArgumentException("annThreshold must be >= 0, got " + annThreshold);
    }
    this.dimension = dimension;
    this.annThreshold = annThreshold;
    this.graphs = graphs.orElse(null);
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
    if (graphs == null || liveNow <= annThreshold || !building.compareAndSet(false, true)) {
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
   * Whether searches currently use the approximate graph.
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
      float s = Vectors.dot(q, vectors[ord]);
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
    List<Neighbor> out = new ArrayList<>();
    for (int ord : graph.search(q, k, live::get)) {
      if (out.size() == k) {
        break;
      }
      // Graphs may scale or approximate scores; the index reports the exact cosine.
      out.add(new Neighbor(ids[ord], Vectors.dot(q, vectors[ord])));
    }
    out.sort(Comparator.comparingDouble(Neighbor::similarity).reversed());
    return out;
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
      VectorGraph built = graphs.buildGraph(new Snapshot(snapshot, n, dimension), n);
      lock.writeLock().lock();
      try {
        if (graph == null && count >= n && vectors.length >= n && sameStorage(snapshot, n)) {
          // The graph scored through the fixed snapshot; continue it over the live storage and
          // add what arrived meanwhile.
          graph = built.continueOn(new LiveVectors());
          graphSize = n;
          for (int ord = n; ord < count; ord++) {
            addToGraph(ord);
          }
        }
      } finally {
        lock.writeLock().unlock();
      }
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

  private void addToGraph(int ord) {
    if (ord != graphSize) {
      throw new IllegalStateException("graph out of step: " + ord + " vs " + graphSize);
    }
    graph.add(ord);
    graphSize++;
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
    graphSize = 0;
  }

  /** Vectors by ordinal over a fixed snapshot of the storage. */
  private record Snapshot(float[][] vectors, int size, int dimension) implements VectorSource {
    @Override
    public float[] vector(int ordinal) {
      return vectors[ordinal];
    }
  }

  /** Vectors by ordinal over the index's current storage (read under the index's lock). */
  private final class LiveVectors implements VectorSource {
    @Override
    public int size() {
      return count;
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public float[] vector(int ordinal) {
      return vectors[ordinal];
    }
  }
}
