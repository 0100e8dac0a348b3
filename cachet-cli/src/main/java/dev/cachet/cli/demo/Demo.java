package dev.cachet.cli.demo;

import dev.cachet.CacheInfo;
import dev.cachet.Cachet;
import dev.cachet.EvictionPolicy;
import dev.cachet.Memoize;
import dev.cachet.MemoizedFunction;
import dev.cachet.llm.CallOptions;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmCacheStats;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.LlmResult;
import dev.cachet.llm.Lookup;
import dev.cachet.stats.CacheStats;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A newcomer's first look at Cachet, in six short scenes: a recursive function, a slow call,
 * entries that expire, a memoized interface, results that survive a restart, and LLM calls
 * cached exactly and by meaning. Uses only Cachet's public API, the way a user
 * would, and takes a few seconds (deliberate sleeping, and loading a local embedding model).
 */
public final class Demo {
  /** How long the pretend LLM takes to answer. */
  static final Duration LLM_LATENCY = Duration.ofMillis(100);
  /** How long the pretend chat model of the LLM scene takes to answer. */
  static final Duration CHAT_LATENCY = Duration.ofMillis(150);
  /** The knowledge-base search's time to live. */
  static final Duration KB_TTL = Duration.ofMillis(300);
  /** Cached calls timed together, to show the cost of a hit once the JVM has warmed up. */
  private static final int WARM_CALLS = 10_000;
  /** Long enough past the time to live that the entry has certainly expired. */
  private static final Duration KB_WAIT = Duration.ofMillis(350);

  private static final Map<String, List<String>> KNOWLEDGE_BASE = Map.of(
      "python", List.of("lru_cache", "cachetools"),
      "java", List.of("Cachet", "Caffeine"));

  private final PrintStream out;
  private final Cachet cachet = Cachet.create();
  /** "µs" where the output can show it, "us" on terminals limited to ASCII. */
  private final String micros;
  /** Set before its first call: the recursive body calls the memoized wrapper, not itself. */
  private MemoizedFunction<Integer, BigInteger> factorial;

  /** Where the persistence scene keeps its disk store between runs. */
  private final Path storeDirectory;

  /** Creates a demo writing to {@code out}, with its disk store in the default folder. */
  public Demo(PrintStream out) {
    this(out, defaultStoreDirectory());
  }

  /** Creates a demo writing to {@code out}, with its disk store in {@code storeDirectory}. */
  public Demo(PrintStream out, Path storeDirectory) {
    this.storeDirectory = Objects.requireNonNull(storeDirectory, "storeDirectory");
    this.out = Objects.requireNonNull(out, "out");
    this.micros = Charset.defaultCharset().newEncoder().canEncode('\u00b5') ? "\u00b5s" : "us";
  }

  /** Plays every scene, in order. */
  public void run() {
    out.println("Welcome to Cachet: memoization and caching for the JVM.");
    out.println("Six short scenes show what it does; each cache below takes a single statement.");
    recursiveFunction();
    slowCall();
    expiringEntries();
    memoizedInterface();
    persistence();
    llmCalls();
    out.println();
    out.println("That's it! Next, compare eviction policies on a real access trace:");
    out.println("  cachet simulate --trace FILE --sizes 250,500,1000");
    out.println("or put the LLM cache in front of any OpenAI client, in any language:");
    out.println("  cachet serve --upstream https://api.openai.com --semantic");
    out.flush();
  }

  private void recursiveFunction() {
    scene(1, "A recursive function, memoized");
    code("factorial = cachet.memoize(\"factorial\", n -> n <= 1 ? 1 : n * factorial.apply(n - 1));");
    factorial = cachet.memoize("factorial", (Integer n) -> {
      out.printf("     computing factorial(%d)%n", n);
      return n <= 1 ? BigInteger.ONE : BigInteger.valueOf(n).multiply(factorial.apply(n - 1));
    });
    out.println();
    out.println("   factorial(10), the first time: every step runs");
    out.printf("   = %s%n", factorial.apply(10));
    out.println("   factorial(12): only 12 and 11 run, factorial(10) comes from the cache");
    out.printf("   = %s%n", factorial.apply(12));
    info("factorial", factorial.cacheInfo());
  }

  private void slowCall() {
    scene(2, "A slow call: a pretend LLM that takes " + LLM_LATENCY.toMillis()
        + " ms to answer");
    code("ask = cachet.memoize(\"ask_llm\", this::pretendLlm);");
    MemoizedFunction<String, String> ask = cachet.memoize("ask_llm", this::pretendLlm);
    String prompt = "What does a cache do?";
    out.println();
    out.printf("   ask(\"%s\")%n", prompt);
    long start = System.nanoTime();
    String first = ask.apply(prompt);
    long firstNanos = System.nanoTime() - start;
    out.printf("     1st call: %10s   \"%s\"%n", duration(firstNanos), first);
    start = System.nanoTime();
    String second = ask.apply(prompt);
    long secondNanos = System.nanoTime() - start;
    out.printf("     2nd call: %10s   %s%n", duration(secondNanos),
        second.equals(first) ? "the same answer, from the cache" : "\"" + second + "\"");
    // The first hits run cold code; many more show what a hit costs once the JIT has warmed up.
    start = System.nanoTime();
    for (int i = 0; i < WARM_CALLS; i++) {
      ask.apply(prompt);
    }
    long warmNanos = Math.max(1, (System.nanoTime() - start) / WARM_CALLS);
    out.printf(Locale.ROOT, "     then %,d more calls: %s each on average%n", WARM_CALLS,
        duration(warmNanos));
    out.printf(Locale.ROOT, "   A cached call was about %,dx faster than the real one.%n",
        firstNanos / warmNanos);
    info("ask", ask.cacheInfo());
  }

  private void expiringEntries() {
    scene(3, "Entries that expire: a knowledge-base search with a "
        + KB_TTL.toMillis() + " ms time to live");
    code("search = cachet.function(\"kb_search\")");
    code("    .policy(EvictionPolicy.LRU).maximumSize(128).expireAfterWrite(Duration.ofMillis("
        + KB_TTL.toMillis() + "))");
    code("    .memoize(this::kbSearch);");
    MemoizedFunction<String, List<String>> search = cachet.function("kb_search")
        .policy(EvictionPolicy.LRU).maximumSize(128).expireAfterWrite(KB_TTL)
        .memoize(this::kbSearch);
    out.println();
    long start = System.nanoTime();
    search(search, "python", start, "ran the search");
    search(search, "python", start, "from the cache");
    out.printf("     ... waiting %d ms, past the time to live ...%n", KB_WAIT.toMillis());
    sleep(KB_WAIT);
    search(search, "python", start, "the entry expired, so the search ran again");
    CacheStats s = search.stats();
    out.printf("   search.stats(): hits=%d, misses=%d, loads=%d, expirations=%d,"
            + " evictions by size=%d, entries=%d%n",
        s.hits(), s.misses(), s.loadSuccesses(), s.expirations(), s.evictionsBySize(),
        s.size());
  }

  private void search(MemoizedFunction<String, List<String>> search, String query, long start,
      String note) {
    long missesBefore = search.cacheInfo().misses();
    List<String> hits = search.apply(query);
    // A call that ran the real search is a miss; cacheInfo() counts exactly those.
    boolean miss = search.cacheInfo().misses() > missesBefore;
    out.printf("   at %3d ms  search(\"%s\") -> %s  %-4s  %s%n",
        (System.nanoTime() - start) / 1_000_000, query, hits, miss ? "MISS" : "HIT", note);
  }

  private void memoizedInterface() {
    scene(4, "Memoizing an interface: annotate the methods to cache");
    code("interface Weather {");
    code("  @Memoize(ttl = \"5s\") String forecast(String city);   // cached for 5 s");
    code("  String temperature(String city);                    // always calls through");
    code("}");
    code("Weather weather = cachet.proxy(Weather.class, new RealWeather());");
    RealWeather real = new RealWeather();
    Weather weather = cachet.proxy(Weather.class, real);
    out.println();
    weather.forecast("Paris");
    String forecast = weather.forecast("Paris");
    weather.temperature("Paris");
    String temperature = weather.temperature("Paris");
    out.printf("   forecast(\"Paris\") twice    -> \"%s\"; the real method ran %s%n",
        forecast, times(real.forecasts.get()));
    out.printf("   temperature(\"Paris\") twice -> \"%s\"; the real method ran %s%n",
        temperature, times(real.temperatures.get()));
    CacheStats s = cachet.stats().get("Weather.forecast");
    if (s != null) {
      out.printf("   cachet.stats() lists the cache \"Weather.forecast\": hits=%d, misses=%d%n",
          s.hits(), s.misses());
    }
  }

  /** The demo's weather service, as seen by its callers. */
  public interface Weather {

    /** Tomorrow's forecast for {@code city}; cached for five seconds. */
    @Memoize(ttl = "5s")
    String forecast(String city);

    /** The current temperature in {@code city}; never cached, it changes all the time. */
    String temperature(String city);
  }

  /** A weather service that counts how often it really runs. */
  private static final class RealWeather implements Weather {
    final AtomicInteger forecasts = new AtomicInteger();
    final AtomicInteger temperatures = new AtomicInteger();

    @Override
    public String forecast(String city) {
      forecasts.incrementAndGet();
      return "sunny";
    }

    @Override
    public String temperature(String city) {
      return (18 + temperatures.incrementAndGet()) + " C";
    }
  }

  /** The folder the persistence scene uses unless told otherwise: one per user, in the temp dir. */
  public static Path defaultStoreDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"),
        "cachet-demo-" + System.getProperty("user.name", "user"));
  }

  private void persistence() {
    scene(5, "Results that survive a restart: the slow call again, over a disk store");
    code("cachet = Cachet.builder().disk(Path.of(\"" + storeDirectory + "\")).build();");
    code("ask = cachet.memoize(\"ask_llm\", this::pretendLlm);");
    String prompt = "What does a cache do?";
    out.println();
    try (Cachet persistent = Cachet.builder().disk(storeDirectory).build()) {
      MemoizedFunction<String, String> ask = persistent.memoize("ask_llm", this::pretendLlm);
      long start = System.nanoTime();
      ask.apply(prompt);
      long took = System.nanoTime() - start;
      boolean fromDisk = ask.cacheInfo().hits() == 1;
      out.printf("   ask(\"%s\"): %10s   %s%n", prompt, duration(took), fromDisk
          ? "HIT from disk: an earlier run of the demo computed it"
          : "MISS: computed, and now stored on disk");
      out.println(fromDisk
          ? "   The memory cache started empty; the disk store kept the answer across runs."
          : "   Run ./cachet demo again: this call will come from the disk store.");
    } catch (RuntimeException e) {
      out.println("   (skipped: the disk store at " + storeDirectory + " cannot be used: "
          + e.getMessage() + ")");
    }
  }

  private void llmCalls() {
    scene(6, "LLM calls, cached exactly and by meaning (a pretend model that takes "
        + CHAT_LATENCY.toMillis() + " ms)");
    code("llm = LlmCache.builder(cachet).semantic().build();   // local embedding model");
    code("request = LlmRequest.builder(\"gpt-4o-mini\").temperature(0.0).user(question).build();");
    code("llm.chat(request, CallOptions.tenant(\"demo\"), this::pretendModel)");
    out.println();
    LlmCache llm;
    String mode;
    try {
      out.println("   (loading the local embedding model...)");
      warmUp();
      llm = LlmCache.builder(cachet).semantic().build();
      mode = "semantic";
    } catch (RuntimeException | LinkageError e) {
      // The model runs on ONNX Runtime's native library; without it, show exact caching.
      out.println("   (the local embedding model could not be loaded: " + e.getMessage()
          + "; showing exact caching only)");
      llm = LlmCache.builder(cachet).build();
      mode = "exact";
    }
    AtomicInteger modelCalls = new AtomicInteger();
    String[] questions = {
        "What is the capital of France?",
        "What is the capital of France?",
        "Which city is the capital of France?",
        "Convert 10 miles to kilometers",
        "Convert 12 miles to kilometers",
        "How do I learn Python?",
        "How do I learn Python for data science?"};
    for (String question : questions) {
      long start = System.nanoTime();
      LlmResult result = llm.chat(chatRequest(question), CallOptions.tenant("demo"),
          request -> {
            modelCalls.incrementAndGet();
            return pretendModel(request);
          });
      long took = System.nanoTime() - start;
      Lookup lookup = result.lookup();
      out.printf("   %-43s %9s  %-12s \"%s\"%n", "\"" + question + "\"", duration(took),
          label(lookup), result.response().content());
      if (lookup.outcome() == Lookup.Outcome.SEMANTIC_HIT) {
        out.printf(Locale.ROOT, "       matched \"%s\", similarity %.2f%n",
            lookup.matchedPrompt(), lookup.similarity());
      } else if (lookup.outcome() == Lookup.Outcome.MISS && lookup.matchedPrompt() != null
          && lookup.similarity() >= llm.similarityThreshold()) {
        // Close enough in meaning, yet refused: the guard's or the verifier's reason is the
        // point of the scene.
        out.println("       not reused: " + lookup.detail());
      }
    }
    out.printf("   The model ran %d times for %d questions%s.%n", modelCalls.get(),
        questions.length, mode.equals("semantic")
            ? "; the guard keeps a different number from reusing an answer, the verifier a"
            + " narrower question" : "");
    LlmCacheStats s = llm.stats();
    out.printf("   llm.stats() -> %s%n", s);
  }

  private static LlmRequest chatRequest(String question) {
    return LlmRequest.builder("gpt-4o-mini").temperature(0.0).user(question).build();
  }

  private static String label(Lookup lookup) {
    switch (lookup.outcome()) {
      case EXACT_HIT:
        return "EXACT HIT";
      case SEMANTIC_HIT:
        return "SEMANTIC HIT";
      default:
        return "MISS";
    }
  }

  /**
   * Loads the embedding model and runs the semantic path once on a throwaway cache, so the
   * timings below show steady-state costs rather than class loading and a cold JIT.
   */
  private static void warmUp() {
    try (Cachet scratch = Cachet.create()) {
      LlmCache warm = LlmCache.builder(scratch).semantic().build();
      warm.chat(chatRequest("How tall is Mount Everest?"), r -> LlmResponse.text("8849 m"));
      warm.chat(chatRequest("What is the height of Mount Everest?"),
          r -> LlmResponse.text("8849 m"));
    }
  }

  /** A deterministic stand-in for a chat model: slow, and right about a few questions. */
  private LlmResponse pretendModel(LlmRequest request) {
    sleep(CHAT_LATENCY);
    String question = request.lastUserText();
    java.util.regex.Matcher miles = java.util.regex.Pattern.compile("(\\d+) miles")
        .matcher(question);
    if (miles.find()) {
      int n = Integer.parseInt(miles.group(1));
      return LlmResponse.text(String.format(Locale.ROOT, "%d miles is %.1f km.", n,
          n * 1.609344));
    }
    if (question.contains("France")) {
      return LlmResponse.text("Paris.");
    }
    if (question.contains("data science")) {
      return LlmResponse.text("Learn pandas and NumPy on a real data set.");
    }
    if (question.contains("Python")) {
      return LlmResponse.text("Write a small program every day.");
    }
    return LlmResponse.text("I don't know.");
  }

  private String pretendLlm(String prompt) {
    sleep(LLM_LATENCY);
    return "It keeps answers close, so you don't pay for them twice.";
  }

  private List<String> kbSearch(String query) {
    return KNOWLEDGE_BASE.getOrDefault(query.toLowerCase(Locale.ROOT), List.of());
  }

  private void scene(int number, String title) {
    out.println();
    out.printf("%d. %s%n", number, title);
  }

  private void code(String line) {
    out.println("   | " + line);
  }

  private void info(String variable, CacheInfo info) {
    out.printf("   %s.cacheInfo() -> %s%n", variable, info);
  }

  private static String times(int n) {
    return n == 1 ? "once" : n + " times";
  }

  private String duration(long nanos) {
    if (nanos >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.1f %s", nanos / 1e3, micros);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the demo was interrupted", e);
    }
  }
}
