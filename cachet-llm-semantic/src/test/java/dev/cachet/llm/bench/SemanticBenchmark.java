package dev.cachet.llm.bench;

import dev.cachet.Cachet;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.Lookup;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.bundled.Embedders;
import dev.cachet.llm.semantic.VectorIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Semantic lookup latency (embedding included) at 1k, 10k and 100k entries in one partition,
 * the vector search alone (exact versus HNSW), and embedding throughput; prints the tables of
 * cachet-bench/RESULTS.md.
 *
 * <p>A harness with a main in cachet-llm's test scope rather than JMH in cachet-bench: each
 * operation takes milliseconds (JMH's care for nanosecond effects buys nothing here), and it
 * keeps the embedding model and ONNX Runtime (about 110 MB) out of cachet-bench's shaded
 * benchmarks jar. Run:
 * <pre>
 * mvn -Dcachet.target=target-llm -pl cachet-llm test-compile
 * java -cp "cachet-llm/target-llm/test-classes:cachet-llm/target-llm/classes:$(cat cp.txt)" \
 *     dev.cachet.llm.bench.SemanticBenchmark [sizes, default 1000,10000,100000]
 * </pre>
 *
 * <p>Stored prompts: 2,000 real prompts from templates are embedded with the bundled model;
 * larger sizes add synthetic neighbours of those vectors (a real vector plus Gaussian noise,
 * renormalized), so the index has the clustered shape of real embeddings without embedding
 * 100,000 prompts. Queries are always embedded for real, inside the timed lookup.
 */
public final class SemanticBenchmark {
  private static final int REAL = 2_000;
  private static final int QUERIES = 300;

  private SemanticBenchmark() {
  }

  /**
   * Runs the benchmark.
   *
   * @param args optional comma-separated sizes
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt)
        .toArray() : new int[] {1_000, 5_000, 10_000, 100_000};
    System.out.println("load average before: " + loadAverage());
    Embedder model = Embedders.allMiniLmL6V2();
    List<String> prompts = prompts(REAL, new Random(1));
    long t0 = System.nanoTime();
    Map<String, float[]> vectors = new HashMap<>();
    for (String p : prompts) {
      vectors.put(p, model.embed(p));
    }
    double embedSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "embedding, 1 thread: %.0f prompts/s (%d prompts)%n",
        REAL / embedSeconds, REAL);
    System.out.printf(Locale.ROOT, "embedding, 2 threads: %.0f prompts/s%n",
        parallelThroughput(model, prompts));

    List<String> queries = prompts(QUERIES, new Random(99)); // other draws of the templates
    System.out.println();
    System.out.println("| entries | index | search only p50 / p99 (ms) | lookup with embedding"
        + " p50 / p90 / p99 (ms) | semantic hits |");
    System.out.println("|---|---|---|---|---|");
    for (int size : sizes) {
      Map<String, float[]> stored = fill(size, prompts, vectors, new Random(size));
      for (boolean ann : new boolean[] {false, true}) {
        run(size, ann, stored, queries, model);
      }
    }
    System.out.println("load average after: " + loadAverage());
  }

  private static void run(int size, boolean ann, Map<String, float[]> stored,
      List<String> queries, Embedder model) {
    int threshold = ann ? 0 : Integer.MAX_VALUE;
    // Search alone.
    VectorIndex index = new VectorIndex(model.dimension(), threshold);
    long b0 = System.nanoTime();
    stored.forEach(index::put);
    double buildSeconds = (System.nanoTime() - b0) / 1e9;
    List<float[]> queryVectors = new ArrayList<>();
    for (String q : queries) {
      queryVectors.add(model.embed(q));
    }
    long[] search = new long[queryVectors.size()];
    for (int rep = 0; rep < 2; rep++) { // first pass warms up
      for (int i = 0; i < search.length; i++) {
        long s = System.nanoTime();
        index.search(queryVectors.get(i), 4);
        search[i] = System.nanoTime() - s;
      }
    }
    // Full lookup through LlmCache, embedding included.
    Embedder replay = new Embedder() {
      @Override
      public String id() {
        return model.id();
      }

      @Override
      public int dimension() {
        return model.dimension();
      }

      @Override
      public float[] embed(String text) {
        float[] v = stored.get(text);
        return v != null ? v : model.embed(text);
      }

      @Override
      public float[][] tokenVectors(String text) {
        return model.tokenVectors(text); // the verifier's, computed for real
      }
    };
    try (Cachet cachet = Cachet.builder().maximumSize(size * 2L).build()) {
      LlmCache llm = LlmCache.builder(cachet).semantic(replay).annThreshold(threshold)
          .semanticCapacity(size * 2).build();
      for (String p : stored.keySet()) {
        llm.put(request(p), LlmResponse.text("answer"));
      }
      long[] lookup = new long[queries.size()];
      int hits = 0;
      for (int rep = 0; rep < 2; rep++) {
        hits = 0;
        for (int i = 0; i < lookup.length; i++) {
          // A suffix makes every query text new, so no embedding is reused from a cache.
          LlmRequest r = request(queries.get(i) + (rep == 0 ? "" : " "));
          long s = System.nanoTime();
          Lookup l = llm.lookup(r);
          lookup[i] = System.nanoTime() - s;
          hits += l.outcome() == Lookup.Outcome.SEMANTIC_HIT ? 1 : 0;
        }
      }
      Arrays.sort(search);
      Arrays.sort(lookup);
      System.out.printf(Locale.ROOT, "| %,d | %s | %.2f / %.2f | %.2f / %.2f / %.2f | %d/%d |%n",
          size, ann ? "HNSW (built in " + String.format(Locale.ROOT, "%.1f", buildSeconds)
              + " s)" : "exact", ms(search, 0.5), ms(search, 0.99), ms(lookup, 0.5),
          ms(lookup, 0.9), ms(lookup, 0.99), hits, lookup.length);
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }

  private static LlmRequest request(String prompt) {
    return LlmRequest.builder("m").system("You are a helpful assistant.").user(prompt)
        .temperature(0.0).build();
  }

  private static Map<String, float[]> fill(int size, List<String> prompts,
      Map<String, float[]> vectors, Random random) {
    Map<String, float[]> stored = new HashMap<>();
    for (int i = 0; i < size; i++) {
      String base = prompts.get(i % prompts.size());
      if (i < prompts.size()) {
        stored.put(base, vectors.get(base));
      } else {
        float[] v = vectors.get(base).clone();
        for (int d = 0; d < v.length; d++) {
          v[d] += (float) (random.nextGaussian() * 0.04);
        }
        stored.put(base + " #" + i, Embedders.normalize(v));
      }
    }
    return stored;
  }

  private static double parallelThroughput(Embedder model, List<String> prompts)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      long t0 = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int offset = t;
        futures.add(pool.submit(() -> {
          for (int i = offset; i < 1000; i += 2) {
            model.embed(prompts.get(i) + " again");
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      return 1000 / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  /** Questions from templates: topic x form, varied enough to spread over the space. */
  static List<String> prompts(int n, Random random) {
    String[] forms = {"How do I %s?", "What is the best way to %s?", "Can you explain how to %s?",
        "Give me tips to %s.", "Why is it hard to %s?", "What tools help me %s?",
        "Is it expensive to %s?", "How long does it take to %s?"};
    String[] verbs = {"learn", "fix", "improve", "start", "clean", "plan", "choose", "build",
        "measure", "protect", "organize", "repair", "test", "design", "explain", "compare"};
    String[] objects = {"a garden", "my sleep", "a budget", "a REST API", "a sourdough loaf",
        "my bike", "a résumé", "a small business", "a database index", "my running pace",
        "a wedding", "a bathroom", "a kitchen knife", "a Python script", "a camping trip",
        "a home network", "a guitar solo", "a marketing plan", "a chess opening",
        "a vegetable soup", "a team meeting", "a mobile app", "a roof leak", "a savings plan",
        "a language course", "a backyard deck", "a photo album", "a lesson plan",
        "a cover letter", "a fish tank", "an electric car battery", "a winter coat"};
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    while (out.size() < n) {
      out.add(String.format(Locale.ROOT, forms[random.nextInt(forms.length)],
          verbs[random.nextInt(verbs.length)] + " " + objects[random.nextInt(objects.length)])
          + (random.nextInt(3) == 0 ? " Please be brief." : ""));
    }
    return new ArrayList<>(out);
  }
}
