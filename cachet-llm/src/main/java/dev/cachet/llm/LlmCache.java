package dev.cachet.llm;

import dev.cachet.Cachet;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.SemanticGuard;
import dev.cachet.llm.semantic.SemanticProvider;
import dev.cachet.llm.semantic.SemanticProviders;
import dev.cachet.llm.semantic.VectorIndex;
import dev.cachet.llm.semantic.Verifier;
import dev.cachet.tier.SingleFlight;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A cache of LLM answers, exact and (optionally) semantic, over a {@link Cachet}'s memory and
 * tiers. Thread-safe; build one per application and keep it.
 *
 * <pre>{@code
 * LlmCache llm = LlmCache.builder(cachet).semantic().build();
 * LlmResult r = llm.chat(request, CallOptions.tenant("acme"), upstream::call);
 * r.lookup().outcome();   // EXACT_HIT, SEMANTIC_HIT, MISS or BYPASSED
 * }</pre>
 *
 * <p><b>Exact cache.</b> The key is the SHA-256 of the canonical JSON of every field that can
 * change the answer (see {@link LlmRequest}) and of the tenant.
 *
 * <p><b>Semantic cache.</b> The last user message is embedded; every other part of the request
 * (system prompt, earlier turns, model, parameters, tools, tenant) is a partition that must
 * match exactly. A stored prompt in the partition answers when its cosine similarity reaches
 * the threshold, it passes the {@link SemanticGuard} and, with the bundled model, the
 * {@link Verifier} judges that it asks the same thing (the verifier also judges the candidates
 * the guard rejects by a rule it overrules, {@link Verifier#judgedRules()}).
 *
 * <p><b>Policy.</b> Only complete answers are stored: never an exception, an incomplete stream
 * or an answer without a finish reason; a truncated ({@code length}) one only with
 * {@link Builder#storeTruncated(boolean)}. A sampled request (temperature above 0, no seed) is
 * not served from the cache unless {@link Builder#serveSampled(boolean)} or
 * {@link CallOptions#serveSampled(boolean)} says so; its answer is still stored.
 *
 * <p><b>Storage.</b> Answers live in the Cachet's memory ({@code cachet.cache("llm:" + name)},
 * bounded by the Cachet's options) and, through {@link Cachet#tierEngine()}, in each of its
 * tiers for that tier's own lifetime (never past {@link Builder#ttl}) under the namespace
 * {@code llm:<name>:exact:<tenant digest>}; semantic entries (prompt and vector) under
 * {@code llm:<name>:semantic:<partition digest>}. Another process (or a restart) rebuilds a
 * partition's vector index from the tiers on first use, where the store can list a namespace.
 */
public final class LlmCache {
  /**
   * The similarity threshold without a verifier, calibrated on the module's evaluation set for
   * the bundled model.
   */
  public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.80;

  // This class applies the policy and the counters to calls; where entries live, the semantic
  // layer and the single-flight of identical calls each have a class of their own.
  private final String name;
  private final AnswerTiers answers;
  private final SemanticSearch semantic; // null without the semantic layer
  private final Embedder embedder; // null without the semantic layer
  private final AnswerPolicy policy;
  private final double threshold;
  private final Verifier verifier; // null without a verifier
  private final long maxPromptChars;
  private final int semanticMaxPromptChars;
  private final long ttlMillis;
  private final RemoteInvalidations remote;
  private final SingleFlight<String, LlmResult> inFlight = new SingleFlight<>("LLM calls");
  private final LlmCounters counters = new LlmCounters();

  private LlmCache(Builder b) {
    this.name = b.name;
    this.ttlMillis = b.ttl == null ? 0 : b.ttl.toMillis();
    // Core's engine walks the tiers: each keeps answers for its own lifetime, never past ttl.
    this.answers = new AnswerTiers(b.name, b.cachet.cache("llm:" + b.name),
        b.cachet.tierEngine().bounded(ttlMillis), ttlMillis);
    this.embedder = b.semantic ? (b.embedder != null ? b.embedder : b.provider.embedder())
        : null;
    this.verifier = embedder == null ? null : b.verifierFor(embedder);
    this.threshold = !Double.isNaN(b.threshold) ? b.threshold
        : verifier != null ? Verifier.DEFAULT_CANDIDATE_SIMILARITY : DEFAULT_SIMILARITY_THRESHOLD;
    ErrorBounds bounds = embedder == null || Double.isNaN(b.maxErrorRate) ? null
        : new ErrorBounds(b.maxErrorRate, b.sameAnswer != null ? b.sameAnswer
            : new AnswerAgreement(embedder), b.semanticPartitions);
    this.semantic = embedder == null ? null : new SemanticSearch(embedder, b.guard, verifier,
        bounds, threshold, answers, b.annThreshold, b.semanticCapacity, b.refresh.toMillis(),
        b.semanticPartitions, b.semanticFirstReadWait.toMillis());
    this.remote = new RemoteInvalidations(answers, semantic);
    this.policy = new AnswerPolicy(b.serveSampled, b.assumedTemperature, b.storeTruncated);
    this.maxPromptChars = b.maxPromptChars;
    this.semanticMaxPromptChars = b.semanticMaxPromptChars;
  }

  /**
   * Starts building a cache over a Cachet's memory and tiers.
   *
   * @param cachet the Cachet whose memory bounds and tiers (disk, Redis) the cache uses
   * @return a builder with the defaults: exact only, name {@code default}
   */
  public static Builder builder(Cachet cachet) {
    return new Builder(cachet);
  }

  // ---------------------------------------------------------------- lookups

  /**
   * Looks a request up for the default tenant.
   *
   * @param request the request
   * @return how it went; on a hit, the answer
   * @throws InvalidRequestException when the prompt is larger than {@code maxPromptChars}
   */
  public Lookup lookup(LlmRequest request) {
    return lookup(request, CallOptions.defaults());
  }

  /**
   * Looks a request up: exact key first, then (if enabled) the semantic partition.
   *
   * @param request the request
   * @param options the tenant and per-call policy
   * @return how it went; on a hit, the answer
   * @throws InvalidRequestException when the prompt is larger than {@code maxPromptChars}
   */
  public Lookup lookup(LlmRequest request, CallOptions options) {
    return lookup(keys(request, options), options);
  }

  private Lookup lookup(CallKeys keys, CallOptions options) {
    if (!options.read()) {
      counters.bypassed.increment();
      return Lookup.bypassed("refresh requested: the cache is not read");
    }
    String sampled = policy.sampledReason(keys.request(), options);
    if (sampled != null) {
      counters.bypassed.increment();
      return Lookup.bypassed(sampled);
    }
    StoredAnswer exact = answers.load(keys.tenantDigest(), keys.exact());
    if (exact != null) {
      counters.exactHits.increment();
      return new Lookup(Lookup.Outcome.EXACT_HIT, exact.response, exact.chunks,
          keys.entryId().toString(), exact.prompt, 1.0, "exact match", exact.storedAt);
    }
    if (keys.partition() == null || Boolean.FALSE.equals(options.semanticOverride())) {
      counters.misses.increment();
      return Lookup.miss(null, Double.NaN, keys.partition() == null && embedder != null
          ? "no exact match; semantic lookup needs a last user message of at most "
              + semanticMaxPromptChars + " characters"
          : "no exact match");
    }
    return semantic.lookup(keys, counters);
  }

  // ---------------------------------------------------------------- calls

  /**
   * Answers a request from the cache or, on a miss, from {@code upstream}, storing its answer.
   * An exception from the upstream reaches the caller and nothing is stored. Concurrent
   * identical misses (same exact key) make one upstream call; the others wait for it and get
   * its answer (reported as an exact hit) or its exception.
   *
   * @param request the request
   * @param options the tenant and per-call policy
   * @param upstream the real call
   * @return the answer and how it was obtained
   * @throws InvalidRequestException when the prompt is too large
   */
  public LlmResult chat(LlmRequest request, CallOptions options,
      Function<LlmRequest, LlmResponse> upstream) {
    CallKeys keys = keys(request, options);
    Lookup lookup = lookup(keys, options);
    if (lookup.isHit()) {
      return new LlmResult(lookup.response(), lookup, false, null);
    }
    if (lookup.outcome() == Lookup.Outcome.BYPASSED || !options.write()) {
      return callAndStore(keys, options, lookup, upstream);
    }
    SingleFlight.Outcome<LlmResult> call = inFlight.run(keys.exact(),
        () -> callAndStore(keys, options, lookup, upstream));
    if (!call.shared()) {
      return call.value();
    }
    LlmResponse shared = call.value().response();
    Lookup joined = new Lookup(Lookup.Outcome.EXACT_HIT, shared,
        shared.content() == null ? List.of() : List.of(shared.content()),
        keys.entryId().toString(), keys.prompt(), 1.0,
        "shared the answer of an identical call in flight", answers.now());
    counters.exactHits.increment();
    return new LlmResult(shared, joined, false, null);
  }

  private LlmResult callAndStore(CallKeys keys, CallOptions options, Lookup lookup,
      Function<LlmRequest, LlmResponse> upstream) {
    LlmResponse response = Objects.requireNonNull(upstream.apply(keys.request()),
        "the upstream returned no response");
    StoreOutcome stored = store(keys, response, null, options);
    return new LlmResult(response, lookup, stored.stored(), stored.reason());
  }

  /**
   * {@link #chat(LlmRequest, CallOptions, Function)} for the default tenant.
   *
   * @param request the request
   * @param upstream the real call
   * @return the answer and how it was obtained
   */
  public LlmResult chat(LlmRequest request, Function<LlmRequest, LlmResponse> upstream) {
    return chat(request, CallOptions.defaults(), upstream);
  }

  /**
   * Streams an answer: on a hit, replays the stored chunks on the calling thread before
   * returning; on a miss, starts the upstream and passes each token to the handler as it
   * arrives (nothing is buffered before the first token), storing the answer when the upstream
   * completes it. An error or a stream that never completes stores nothing.
   *
   * @param request the request
   * @param options the tenant and per-call policy
   * @param upstream the real streaming call
   * @param handler receives the lookup, the tokens and the end
   * @return the lookup's result (a hit has been fully replayed when this returns)
   * @throws InvalidRequestException when the prompt is too large (before any handler call)
   */
  public Lookup stream(LlmRequest request, CallOptions options, StreamingUpstream upstream,
      StreamHandler handler) {
    CallKeys keys = keys(request, options);
    Lookup lookup = lookup(keys, options);
    handler.onStart(lookup);
    if (lookup.isHit()) {
      for (String chunk : lookup.chunks()) {
        handler.onToken(chunk);
      }
      handler.onComplete(new LlmResult(lookup.response(), lookup, false, null));
      return lookup;
    }
    StreamRecorder sink = new StreamRecorder(lookup, handler,
        (full, chunks) -> store(keys, full, chunks, options));
    try {
      upstream.stream(request, sink);
    } catch (RuntimeException e) {
      sink.error(e);
    }
    return lookup;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Stores an answer for a request (default tenant), replacing any stored one.
   *
   * @param request the request
   * @param response the complete answer
   * @return whether it was stored, and why not
   */
  public StoreOutcome put(LlmRequest request, LlmResponse response) {
    return put(request, response, null, CallOptions.defaults());
  }

  /**
   * Stores an answer for a request, replacing any stored one: use it to correct a wrong entry.
   * Other processes sharing a tier with an invalidation bus drop their copy of the old one.
   * Refused (and counted) when the answer is incomplete, truncated (unless allowed), filtered
   * or an error.
   *
   * @param request the request
   * @param response the complete answer
   * @param chunks the answer's text as it was streamed, for faithful replay; null when it was
   *     not streamed
   * @param options the tenant ({@link CallOptions#noStore()} is ignored here)
   * @return whether it was stored, and why not
   * @throws InvalidRequestException when the prompt is too large
   */
  public StoreOutcome put(LlmRequest request, LlmResponse response, List<String> chunks,
      CallOptions options) {
    CallKeys keys = keys(request, options);
    StoreOutcome outcome = store(keys, response, chunks, CallOptions.tenant(options.tenantId()));
    if (outcome.stored()) {
      // Other processes may hold the answer this one replaces in their memory.
      remote.replaced(keys.tenantDigest(), keys.exact());
    }
    return outcome;
  }

  private StoreOutcome store(CallKeys keys, LlmResponse response, List<String> chunks,
      CallOptions options) {
    String refusal = policy.refusal(response);
    if (refusal == null && semantic != null && keys.partition() != null) {
      // A complete fresh answer labels the candidate turned away for it, stored or not.
      semantic.labelExploration(keys, response);
    }
    if (!options.write()) {
      return StoreOutcome.refused("noStore requested");
    }
    if (refusal != null) {
      counters.storeRefusals.increment();
      return StoreOutcome.refused(refusal);
    }
    long now = answers.now();
    long expires = answers.expiresAt(now);
    List<String> replay = chunks == null || chunks.isEmpty()
        ? (response.content() == null ? List.of() : List.of(response.content()))
        : List.copyOf(chunks);
    answers.putAnswer(keys.tenantDigest(), keys.exact(),
        new StoredAnswer(response, replay, keys.prompt(), now, expires));
    if (keys.partition() != null && keys.prompt() != null) {
      semantic.add(keys, now);
    }
    counters.stores.increment();
    return StoreOutcome.STORED;
  }

  /**
   * Removes the answer stored for a request (default tenant), exact and semantic.
   *
   * @param request the request
   * @return whether something was removed
   */
  public boolean invalidate(LlmRequest request) {
    return invalidate(request, CallOptions.defaults());
  }

  /**
   * Removes the answer stored for a request, from memory, every tier and the semantic index,
   * here and, through the shared tiers' invalidation bus, in every other process.
   *
   * @param request the request
   * @param options the tenant
   * @return whether something was removed
   */
  public boolean invalidate(LlmRequest request, CallOptions options) {
    return invalidate(keys(request, options).entryId());
  }

  /**
   * Removes the entry a lookup matched (see {@link Lookup#entryId()}), here and in every other
   * process sharing a tier with an invalidation bus; for a wrong semantic hit, this removes the
   * stored prompt that was matched.
   *
   * @param entryId the id from a lookup
   * @return whether something was removed
   * @throws IllegalArgumentException when the id is not one of this class's
   */
  public boolean invalidate(String entryId) {
    return invalidate(EntryId.parse(entryId));
  }

  /**
   * Removes an entry only when it belongs to the given tenant, so a caller who learned another
   * tenant's entry id cannot remove it.
   *
   * @param entryId the id from a lookup ({@link Lookup#entryId()})
   * @param tenant the tenant the caller is (as in {@link CallOptions#tenant(String)})
   * @return whether something was removed; false when the entry is another tenant's or absent
   * @throws IllegalArgumentException when the id is not one of this class's
   */
  public boolean invalidate(String entryId, String tenant) {
    EntryId id = EntryId.parse(entryId);
    if (!id.tenantDigest().equals(RequestKeys.tenantDigest(tenant))) {
      return false;
    }
    return invalidate(id);
  }

  private boolean invalidate(EntryId id) {
    // Removed from every tier and published by the engine, whether or not this process held
    // it: others may still serve it from memory.
    boolean removed = answers.remove(id, "llm invalidate");
    if (id.partition() != null && semantic != null) {
      removed |= semantic.remove(id.partition(), id.exact());
    }
    return removed;
  }

  /**
   * Tells the error-bounded mode whether a semantic hit's answer was right for the prompt it
   * answered: the authoritative label from which each partition learns the score its hits need
   * (see {@link Builder#errorBound(double)}). Judges the latest unjudged hit this process
   * served from that entry.
   *
   * @param entryId the id of a semantic hit ({@link Lookup#entryId()})
   * @param correct whether its answer was right
   * @return whether the verdict was recorded: false without error-bounded mode, or when this
   *     process served no unjudged hit from that entry (in the last day)
   * @throws IllegalArgumentException when the id is not one of this class's
   */
  public boolean feedback(String entryId, boolean correct) {
    EntryId.parse(entryId);
    return semantic != null && semantic.feedback(entryId, correct);
  }

  /**
   * {@link #feedback(String, boolean)} only when the entry belongs to the given tenant, so a
   * caller who learned another tenant's entry id cannot move that tenant's threshold.
   *
   * @param entryId the id of a semantic hit ({@link Lookup#entryId()})
   * @param tenant the tenant the caller is (as in {@link CallOptions#tenant(String)})
   * @param correct whether its answer was right
   * @return whether the verdict was recorded; false for another tenant's entry
   * @throws IllegalArgumentException when the id is not one of this class's
   */
  public boolean feedback(String entryId, String tenant, boolean correct) {
    EntryId id = EntryId.parse(entryId);
    if (!id.tenantDigest().equals(RequestKeys.tenantDigest(tenant))) {
      return false;
    }
    return semantic != null && semantic.feedback(entryId, correct);
  }

  /**
   * Counters since the cache was built.
   *
   * @return the statistics
   */
  public LlmCacheStats stats() {
    return counters.stats(semantic == null ? 0 : semantic.entries(), answers.hitsByTier());
  }

  /** The semantic partitions in memory (for tests of the bound). */
  long semanticPartitionCount() {
    return semantic == null ? 0 : semantic.partitionCount();
  }

  /**
   * Whether the cache has a semantic layer.
   *
   * @return true when built with {@link Builder#semantic()}
   */
  public boolean isSemantic() {
    return embedder != null;
  }

  /**
   * The cosine similarity a semantic hit needs (with a verifier, the similarity from which a
   * stored prompt is a candidate for verification).
   *
   * @return the threshold
   */
  public double similarityThreshold() {
    return threshold;
  }

  /**
   * The second stage that judges semantic candidates.
   *
   * @return the verifier, or null when candidates are judged by similarity and guard only
   */
  public Verifier verifier() {
    return verifier;
  }

  /**
   * Describes this object for logs.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "LlmCache[" + name + ", semantic=" + (embedder == null ? "off" : embedder.id()
        + " >= " + threshold + (verifier == null ? "" : ", verified from p >= "
        + verifier.decisionThreshold())) + ", tiers=" + answers.stores().size() + "]";
  }

  private CallKeys keys(LlmRequest request, CallOptions options) {
    return CallKeys.of(request, options, maxPromptChars, semanticMaxPromptChars, embedder);
  }

  /** Settings of an {@link LlmCache}. */
  public static final class Builder {
    private final Cachet cachet;
    private String name = "default";
    private boolean semantic;
    private Embedder embedder;
    private SemanticProvider provider; // the bundled model's, for semantic() without an embedder
    private SemanticGuard guard = new SemanticGuard();
    private double threshold = Double.NaN; // NaN: the default for the verifier's presence
    private Verifier verifier; // null: the bundled one where it applies
    private boolean noVerifier;
    private double maxErrorRate = Double.NaN; // NaN: not error-bounded
    private BiPredicate<LlmResponse, LlmResponse> sameAnswer; // null: AnswerAgreement
    private boolean serveSampled;
    private double assumedTemperature = 1.0;
    private boolean storeTruncated;
    private long maxPromptChars = 1_000_000;
    private int semanticMaxPromptChars = 2_000;
    private Duration ttl;
    private int annThreshold = VectorIndex.DEFAULT_ANN_THRESHOLD;
    private int semanticCapacity = 100_000;
    private int semanticPartitions = 4_096;
    private Duration semanticFirstReadWait = Duration.ofMillis(250);
    private Duration refresh = Duration.ofSeconds(10);

    private Builder(Cachet cachet) {
      this.cachet = Objects.requireNonNull(cachet, "cachet");
    }

    /**
     * Names the cache: caches with different names never share entries.
     *
     * @param name letters, digits, '-' and '_'
     * @return this builder
     */
    public Builder name(String name) {
      if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("A cache name has 1 to 64 letters, digits, '-' or"
            + " '_', got '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /**
     * Adds the semantic layer with the bundled model (all-MiniLM-L6-v2, quantized, local),
     * which is in the artifact {@code dev.cachet:cachet-llm-semantic}.
     *
     * @return this builder
     * @throws IllegalStateException when {@code cachet-llm-semantic} is not on the class path
     *     (the message says so); {@link #semantic(Embedder)} works without it
     */
    public Builder semantic() {
      // Checked here rather than in build(), so the mistake shows where semantic() is written.
      this.provider = SemanticProviders.require("LlmCache.Builder.semantic()");
      this.semantic = true;
      this.embedder = null;
      return this;
    }

    /**
     * Adds the semantic layer with another embedder. Calibrate its threshold: similarity
     * scales differ between models.
     *
     * @param embedder the embedder
     * @return this builder
     */
    public Builder semantic(Embedder embedder) {
      this.semantic = true;
      this.embedder = Objects.requireNonNull(embedder, "embedder");
      return this;
    }

    /**
     * Sets the cosine similarity a semantic hit needs; default
     * {@value #DEFAULT_SIMILARITY_THRESHOLD} (calibrated for the bundled model) without a
     * verifier. With a verifier it is the similarity from which a stored prompt is a candidate,
     * default {@value Verifier#DEFAULT_CANDIDATE_SIMILARITY}; the verifier decides.
     *
     * @param threshold between 0 and 1
     * @return this builder
     */
    public Builder similarityThreshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("A similarity threshold is in (0, 1], got "
            + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * Judges semantic candidates with this verifier, after the guard. By default the bundled
     * verifier ({@link Verifier#bundled()}) judges them when the embedder is the model it was
     * trained for (the bundled one); other embedders have none unless given one here.
     *
     * @param verifier a verifier trained for the embedder's model ({@link Verifier#model()})
     * @return this builder
     */
    public Builder verifier(Verifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      this.noVerifier = false;
      return this;
    }

    /**
     * Judges semantic candidates by similarity and guard only, as before verification existed:
     * more semantic hits, and more of them wrong (cachet-bench/RESULTS.md has the numbers).
     *
     * @return this builder
     */
    public Builder noVerifier() {
      this.verifier = null;
      this.noVerifier = true;
      return this;
    }

    /**
     * Error-bounded mode: each semantic partition learns, from labelled candidates, the score
     * its hits need so that at most {@code maxErrorRate} of them are wrong, in the spirit of
     * vCache. The score is the verifier's probability (the similarity without a verifier); the
     * verifier's own threshold is then not used.
     *
     * <p><b>Where the labels come from.</b> A candidate that passes the guard but scores under
     * the partition's threshold is a miss; the cache remembers it, and when the fresh answer to
     * that query is stored ({@code chat}, {@code stream} or {@code put}) compares it with the
     * candidate's answer (the same text, or embeddings with cosine at least 0.95): a label
     * that costs no call. {@link LlmCache#feedback(String, boolean)} labels served hits.
     *
     * <p><b>What it guarantees.</b> A partition's threshold is the lowest score at which the
     * 95 % one-sided Wilson upper bound on the error rate of its labelled candidates above it is
     * at most {@code maxErrorRate} (see {@code ErrorBoundedThreshold}). Until it has that
     * evidence (about {@code 3 / maxErrorRate} agreeing labels) the partition serves no
     * semantic hit. The bound holds as far as the labels are right and are a fair sample; it
     * is per process (each learns its own) and forgotten when a partition is idle for an hour.
     *
     * @param maxErrorRate the largest acceptable share of wrong semantic hits, in (0, 0.5],
     *     such as 0.02
     * @return this builder
     */
    public Builder errorBound(double maxErrorRate) {
      if (!(maxErrorRate > 0 && maxErrorRate <= 0.5)) {
        throw new IllegalArgumentException("An error bound is a rate in (0, 0.5], such as 0.02,"
            + " got " + maxErrorRate);
      }
      this.maxErrorRate = maxErrorRate;
      return this;
    }

    /**
     * {@link #errorBound(double)} with your own judge of whether a candidate's stored answer
     * (first argument) would have served a query whose fresh answer is the second.
     *
     * @param maxErrorRate the largest acceptable share of wrong semantic hits, in (0, 0.5]
     * @param sameAnswer the judge; called on the thread that stores the fresh answer
     * @return this builder
     */
    public Builder errorBound(double maxErrorRate,
        BiPredicate<LlmResponse, LlmResponse> sameAnswer) {
      errorBound(maxErrorRate);
      this.sameAnswer = Objects.requireNonNull(sameAnswer, "sameAnswer");
      return this;
    }

    Verifier verifierFor(Embedder embedder) {
      if (noVerifier) {
        return null;
      }
      if (verifier != null) {
        if (!verifier.appliesTo(embedder)) {
          throw new IllegalArgumentException("The verifier was trained for the model '"
              + verifier.model() + "', but the semantic layer embeds with '" + embedder.id()
              + "': train one for this model, or call noVerifier()");
        }
        return verifier;
      }
      Verifier bundled = Verifier.bundled();
      return bundled.appliesTo(embedder) ? bundled : null;
    }

    /**
     * Replaces the guard that rejects near-matches.
     *
     * @param guard the guard
     * @return this builder
     */
    public Builder guard(SemanticGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /**
     * Whether sampled requests (temperature above 0 without a seed) may be answered from the
     * cache; default false, since their caller asked for variety.
     *
     * @param serve true to serve them
     * @return this builder
     */
    public Builder serveSampled(boolean serve) {
      this.serveSampled = serve;
      return this;
    }

    /**
     * The temperature assumed for requests that give none; default 1.0, the OpenAI default.
     * Set 0 when your provider's default is deterministic.
     *
     * @param temperature the assumed temperature
     * @return this builder
     */
    public Builder assumedTemperature(double temperature) {
      this.assumedTemperature = temperature;
      return this;
    }

    /**
     * Whether answers cut at the token limit are stored; default false.
     *
     * @param store true to store them
     * @return this builder
     */
    public Builder storeTruncated(boolean store) {
      this.storeTruncated = store;
      return this;
    }

    /**
     * The largest prompt (characters of all messages and tools) the cache accepts; larger
     * ones are refused with {@link InvalidRequestException.Reason#TOO_LARGE}. Default 1,000,000.
     *
     * @param chars the limit
     * @return this builder
     */
    public Builder maxPromptChars(long chars) {
      if (chars <= 0) {
        throw new IllegalArgumentException("maxPromptChars must be positive, got " + chars);
      }
      this.maxPromptChars = chars;
      return this;
    }

    /**
     * The longest last user message matched semantically; longer ones are matched exactly
     * only. Default 2,000 characters (about the 256 word pieces the bundled model reads).
     *
     * @param chars the limit
     * @return this builder
     */
    public Builder semanticMaxPromptChars(int chars) {
      if (chars <= 0) {
        throw new IllegalArgumentException("semanticMaxPromptChars must be positive, got "
            + chars);
      }
      this.semanticMaxPromptChars = chars;
      return this;
    }

    /**
     * How long answers stay valid; default forever (bounded by memory and the tiers' own
     * limits). No tier keeps an answer longer, whatever its own {@code expireAfterWrite}.
     *
     * @param ttl a positive duration
     * @return this builder
     */
    public Builder ttl(Duration ttl) {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, got " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * The partition size past which the vector index switches from exact search to HNSW;
     * default {@value VectorIndex#DEFAULT_ANN_THRESHOLD}. HNSW comes with
     * {@code cachet-llm-semantic}; without it, search stays exact at every size.
     *
     * @param entries the size
     * @return this builder
     */
    public Builder annThreshold(int entries) {
      this.annThreshold = entries;
      return this;
    }

    /**
     * The most prompts one partition keeps in memory for semantic search (oldest dropped
     * first; they stay in the tiers for exact matches). Default 100,000.
     *
     * @param entries the capacity
     * @return this builder
     */
    public Builder semanticCapacity(int entries) {
      if (entries <= 0) {
        throw new IllegalArgumentException("semanticCapacity must be positive, got " + entries);
      }
      this.semanticCapacity = entries;
      return this;
    }

    /**
     * The most semantic partitions kept in memory. Every distinct conversation prefix (system
     * prompt, earlier turns, model, parameters, tenant) is a partition of its own, so a
     * service with many conversations would otherwise grow without bound; the least recently
     * used partitions leave memory first, and any partition unused for an hour does too. A
     * partition that left is rebuilt from the tiers on its next use. Default 4,096.
     *
     * @param partitions the bound, at least 1
     * @return this builder
     */
    public Builder semanticPartitions(int partitions) {
      if (partitions <= 0) {
        throw new IllegalArgumentException("semanticPartitions must be positive, got "
            + partitions);
      }
      this.semanticPartitions = partitions;
      return this;
    }

    /**
     * The longest a partition's first semantic lookup in this process waits for the prompts
     * other processes (or earlier runs) stored to be read from the tiers. The read goes on in
     * the background past it, and the lookup answers with what this process already has: a
     * slow tier (a scan of a large Redis) never holds a request longer. Default 250 ms.
     *
     * @param wait from zero (never wait) to one minute
     * @return this builder
     * @throws IllegalArgumentException when {@code wait} is negative or over a minute
     */
    public Builder semanticFirstReadWait(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("semanticFirstReadWait must be between zero and one"
            + " minute, got " + wait);
      }
      this.semanticFirstReadWait = wait;
      return this;
    }

    /**
     * How often a partition re-reads the tiers for prompts other processes stored; default
     * 10 seconds.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder semanticRefresh(Duration interval) {
      this.refresh = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Builds the cache. With the semantic layer and the bundled model, the model is loaded
     * now (about a second), not on the first call.
     *
     * @return the cache
     */
    public LlmCache build() {
      return new LlmCache(this);
    }
  }
}
