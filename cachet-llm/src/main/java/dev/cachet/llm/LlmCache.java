package dev.cachet.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachet.Cache;
import dev.cachet.Cachet;
import dev.cachet.codec.EntryFrame;
import dev.cachet.llm.InvalidRequestException.Reason;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.Embedders;
import dev.cachet.llm.semantic.SemanticGuard;
import dev.cachet.llm.semantic.VectorIndex;
import dev.cachet.tier.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

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
 * the threshold and it passes the {@link SemanticGuard}.
 *
 * <p><b>Policy.</b> Only complete answers are stored: never an exception, an incomplete stream
 * or an answer without a finish reason; a truncated ({@code length}) one only with
 * {@link Builder#storeTruncated(boolean)}. A sampled request (temperature above 0, no seed) is
 * not served from the cache unless {@link Builder#serveSampled(boolean)} or
 * {@link CallOptions#serveSampled(boolean)} says so; its answer is still stored.
 *
 * <p><b>Storage.</b> Answers live in the Cachet's memory ({@code cachet.cache("llm:" + name)},
 * bounded by the Cachet's options) and in each of its tiers under the namespace
 * {@code llm:<name>:exact:<tenant digest>}; semantic entries (prompt and vector) under
 * {@code llm:<name>:semantic:<partition digest>}. Another process (or a restart) rebuilds a
 * partition's vector index from the tiers on first use, where the store can list a namespace.
 */
public final class LlmCache {
  private static final Logger LOG = Logger.getLogger(LlmCache.class.getName());
  /** The similarity threshold calibrated on the module's evaluation set for the bundled model. */
  public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.80;
  private static final String ANSWER_TYPE = "cachet-llm/answer/1";
  private static final String SEMANTIC_TYPE = "cachet-llm/semantic/1";
  private static final int CANDIDATES = 4;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String name;
  private final Cache<String, StoredAnswer> memory;
  private final List<Store> tiers;
  private final Embedder embedder; // null without semantic
  private final SemanticGuard guard;
  private final double threshold;
  private final boolean serveSampled;
  private final double assumedTemperature;
  private final boolean storeTruncated;
  private final long maxPromptChars;
  private final int semanticMaxPromptChars;
  private final long ttlMillis;
  private final int annThreshold;
  private final int semanticCapacity;
  private final long refreshMillis;
  private final Map<String, Partition> partitions = new ConcurrentHashMap<>();
  private final Map<String, float[]> recentEmbeddings;
  private final Map<String, CompletableFuture<LlmResult>> inFlight = new ConcurrentHashMap<>();

  private final LongAdder exactHits = new LongAdder();
  private final LongAdder semanticHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder bypassed = new LongAdder();
  private final LongAdder guardRejections = new LongAdder();
  private final LongAdder stores = new LongAdder();
  private final LongAdder storeRefusals = new LongAdder();

  private LlmCache(Builder b) {
    this.name = b.name;
    this.memory = b.cachet.cache("llm:" + b.name);
    this.tiers = b.cachet.tiers();
    this.embedder = b.semantic ? (b.embedder != null ? b.embedder : Embedders.allMiniLmL6V2())
        : null;
    this.guard = b.guard;
    this.threshold = b.threshold;
    this.serveSampled = b.serveSampled;
    this.assumedTemperature = b.assumedTemperature;
    this.storeTruncated = b.storeTruncated;
    this.maxPromptChars = b.maxPromptChars;
    this.semanticMaxPromptChars = b.semanticMaxPromptChars;
    this.ttlMillis = b.ttl == null ? 0 : b.ttl.toMillis();
    this.annThreshold = b.annThreshold;
    this.semanticCapacity = b.semanticCapacity;
    this.refreshMillis = b.refresh.toMillis();
    this.recentEmbeddings = java.util.Collections.synchronizedMap(
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > 256;
          }
        });
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
    Keys keys = keys(request, options);
    return lookup(keys, options);
  }

  private Lookup lookup(Keys keys, CallOptions options) {
    if (!options.read()) {
      bypassed.increment();
      return Lookup.bypassed("refresh requested: the cache is not read");
    }
    String sampled = sampledReason(keys.request, options);
    if (sampled != null) {
      bypassed.increment();
      return Lookup.bypassed(sampled);
    }
    StoredAnswer exact = loadAnswer(keys.tenantDigest, keys.exact);
    if (exact != null) {
      exactHits.increment();
      return new Lookup(Lookup.Outcome.EXACT_HIT, exact.response, exact.chunks,
          entryId(keys.tenantDigest, keys.exact, keys.partition), exact.prompt, 1.0,
          "exact match", exact.storedAt);
    }
    if (keys.partition == null || Boolean.FALSE.equals(options.semanticOverride())) {
      misses.increment();
      return Lookup.miss(null, Double.NaN, keys.partition == null && embedder != null
          ? "no exact match; semantic lookup needs a last user message of at most "
              + semanticMaxPromptChars + " characters"
          : "no exact match");
    }
    return semanticLookup(keys);
  }

  private Lookup semanticLookup(Keys keys) {
    float[] query;
    try {
      query = embed(keys.prompt);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Embedding failed; semantic lookup skipped", e);
      misses.increment();
      return Lookup.miss(null, Double.NaN, "no exact match; embedding failed: " + e);
    }
    Partition partition = partition(keys.partition);
    String nearestPrompt = null;
    double nearest = Double.NaN;
    String rejection = null;
    for (VectorIndex.Neighbor n : partition.index.search(query, CANDIDATES)) {
      String prompt = partition.prompts.get(n.id());
      if (prompt == null) {
        continue;
      }
      if (nearestPrompt == null) {
        nearestPrompt = prompt;
        nearest = n.similarity();
      }
      if (n.similarity() < threshold) {
        break;
      }
      SemanticGuard.Verdict verdict = guard.check(keys.prompt, prompt);
      if (!verdict.accepted()) {
        guardRejections.increment();
        if (rejection == null) {
          // Only the rule: the detail quotes words of both prompts, and this text reaches
          // logs (the proxy prints it), where no stored prompt may appear.
          rejection = "guard rejected the nearest stored prompt (similarity "
              + String.format(java.util.Locale.ROOT, "%.3f", n.similarity()) + ", rule: "
              + verdict.rule() + ")";
          nearestPrompt = prompt;
          nearest = n.similarity();
        }
        continue;
      }
      StoredAnswer answer = loadAnswer(keys.tenantDigest, n.id());
      if (answer == null) {
        partition.remove(n.id()); // the answer expired or was removed elsewhere
        continue;
      }
      semanticHits.increment();
      return new Lookup(Lookup.Outcome.SEMANTIC_HIT, answer.response, answer.chunks,
          entryId(keys.tenantDigest, n.id(), keys.partition), prompt, n.similarity(),
          "semantic match", answer.storedAt);
    }
    misses.increment();
    if (rejection != null) {
      return Lookup.miss(nearestPrompt, nearest, rejection);
    }
    return Lookup.miss(nearestPrompt, nearest, nearestPrompt == null
        ? "no exact match; no stored prompt in this partition"
        : "no exact match; nearest prompt below the similarity threshold " + threshold);
  }

  private String sampledReason(LlmRequest request, CallOptions options) {
    double t = request.temperature() != null ? request.temperature() : assumedTemperature;
    boolean serve = options.serveSampledOverride() != null ? options.serveSampledOverride()
        : serveSampled;
    if (t > 0 && request.seed() == null && !serve) {
      return "temperature " + t + (request.temperature() == null ? " (assumed)" : "")
          + " > 0 without a seed: cached answers are not served (CallOptions.serveSampled"
          + "(true) allows it)";
    }
    return null;
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
    Keys keys = keys(request, options);
    Lookup lookup = lookup(keys, options);
    if (lookup.isHit()) {
      return new LlmResult(lookup.response(), lookup, false, null);
    }
    if (lookup.outcome() == Lookup.Outcome.BYPASSED || !options.write()) {
      return callAndStore(keys, options, lookup, upstream);
    }
    // One upstream call per exact key at a time: concurrent identical misses share it (and
    // its exception), since each call costs money and seconds.
    CompletableFuture<LlmResult> mine = new CompletableFuture<>();
    CompletableFuture<LlmResult> running = inFlight.putIfAbsent(keys.exact, mine);
    if (running != null) {
      LlmResult shared;
      try {
        shared = running.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      Lookup joined = new Lookup(Lookup.Outcome.EXACT_HIT, shared.response(),
          shared.response().content() == null ? List.of() : List.of(shared.response().content()),
          entryId(keys.tenantDigest, keys.exact, keys.partition), keys.prompt, 1.0,
          "shared the answer of an identical call in flight", System.currentTimeMillis());
      exactHits.increment();
      return new LlmResult(shared.response(), joined, false, null);
    }
    try {
      LlmResult result = callAndStore(keys, options, lookup, upstream);
      mine.complete(result);
      return result;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(keys.exact, mine);
    }
  }

  private LlmResult callAndStore(Keys keys, CallOptions options, Lookup lookup,
      Function<LlmRequest, LlmResponse> upstream) {
    LlmResponse response = Objects.requireNonNull(upstream.apply(keys.request),
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
    Keys keys = keys(request, options);
    Lookup lookup = lookup(keys, options);
    handler.onStart(lookup);
    if (lookup.isHit()) {
      for (String chunk : lookup.chunks()) {
        handler.onToken(chunk);
      }
      handler.onComplete(new LlmResult(lookup.response(), lookup, false, null));
      return lookup;
    }
    StreamSink sink = new StreamSink(keys, options, lookup, handler);
    try {
      upstream.stream(request, sink);
    } catch (RuntimeException e) {
      sink.error(e);
    }
    return lookup;
  }

  /** Passes tokens through and keeps them, to store the answer on completion. */
  private final class StreamSink implements StreamingUpstream.TokenSink {
    private final Keys keys;
    private final CallOptions options;
    private final Lookup lookup;
    private final StreamHandler handler;
    private final List<String> chunks = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final AtomicBoolean ended = new AtomicBoolean();

    StreamSink(Keys keys, CallOptions options, Lookup lookup, StreamHandler handler) {
      this.keys = keys;
      this.options = options;
      this.lookup = lookup;
      this.handler = handler;
    }

    @Override
    public void token(String token) {
      if (ended.get() || token == null || token.isEmpty()) {
        return;
      }
      synchronized (this) {
        chunks.add(token);
        text.append(token);
      }
      handler.onToken(token);
    }

    @Override
    public void complete(LlmResponse response) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      LlmResponse full;
      List<String> kept;
      synchronized (this) {
        full = response.content() == null && text.length() > 0
            ? response.withContent(text.toString()) : response;
        kept = List.copyOf(chunks);
      }
      StoreOutcome stored;
      try {
        stored = store(keys, full, kept, options);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Storing a streamed answer failed", e);
        stored = StoreOutcome.refused("store failed: " + e);
      }
      handler.onComplete(new LlmResult(full, lookup, stored.stored(), stored.reason()));
    }

    @Override
    public void error(Throwable error) {
      if (ended.compareAndSet(false, true)) {
        handler.onError(error);
      }
    }
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
    return store(keys(request, options), response, chunks,
        CallOptions.tenant(options.tenantId()));
  }

  private StoreOutcome store(Keys keys, LlmResponse response, List<String> chunks,
      CallOptions options) {
    if (!options.write()) {
      return StoreOutcome.refused("noStore requested");
    }
    String refusal = refusal(response);
    if (refusal != null) {
      storeRefusals.increment();
      return StoreOutcome.refused(refusal);
    }
    long now = System.currentTimeMillis();
    long expires = ttlMillis == 0 ? 0 : now + ttlMillis;
    List<String> replay = chunks == null || chunks.isEmpty()
        ? (response.content() == null ? List.of() : List.of(response.content()))
        : List.copyOf(chunks);
    StoredAnswer answer = new StoredAnswer(response, replay, keys.prompt, now, expires);
    memory.put(keys.exact, answer);
    byte[] frame = new EntryFrame("json", ANSWER_TYPE, now, expires, List.of(),
        answer.toJson()).encode();
    for (Store tier : tiers) {
      tier.put(exactNamespace(keys.tenantDigest), keys.exact, frame, expires, List.of());
    }
    if (keys.partition != null && keys.prompt != null) {
      try {
        float[] vector = embed(keys.prompt);
        partition(keys.partition).add(keys.exact, keys.prompt, vector);
        byte[] semantic = new EntryFrame("json", SEMANTIC_TYPE, now, expires, List.of(),
            semanticJson(keys.prompt, vector)).encode();
        for (Store tier : tiers) {
          tier.put(semanticNamespace(keys.partition), keys.exact, semantic, expires, List.of());
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Embedding failed; the answer is cached for exact matches only",
            e);
      }
    }
    stores.increment();
    return StoreOutcome.STORED;
  }

  private String refusal(LlmResponse response) {
    if (response == null) {
      return "no response";
    }
    FinishReason reason = response.finishReason();
    if (reason == null) {
      return "incomplete answer: no finish reason";
    }
    switch (reason) {
      case STOP, TOOL_CALLS -> {
      }
      case LENGTH -> {
        if (!storeTruncated) {
          return "truncated answer (finish reason length); storeTruncated(true) allows it";
        }
      }
      default -> {
        return "finish reason " + reason.wireName() + " is not a complete answer";
      }
    }
    if ((response.content() == null || response.content().isEmpty())
        && response.toolCalls().isEmpty()) {
      return "empty answer";
    }
    return null;
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
   * Removes the answer stored for a request, from memory, every tier and the semantic index.
   *
   * @param request the request
   * @param options the tenant
   * @return whether something was removed
   */
  public boolean invalidate(LlmRequest request, CallOptions options) {
    Keys keys = keys(request, options);
    return invalidate(entryId(keys.tenantDigest, keys.exact, keys.partition));
  }

  /**
   * Removes the entry a lookup matched (see {@link Lookup#entryId()}); for a wrong semantic
   * hit, this removes the stored prompt that was matched.
   *
   * @param entryId the id from a lookup
   * @return whether something was removed
   * @throws IllegalArgumentException when the id is not one of this class's
   */
  public boolean invalidate(String entryId) {
    String[] parts = entryId.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("Not an LLM cache entry id: " + entryId);
    }
    String tenantDigest = parts[0];
    String exact = parts[1];
    String partitionDigest = parts[2].equals("-") ? null : parts[2];
    boolean removed = memory.invalidate(exact);
    for (Store tier : tiers) {
      removed |= tier.remove(exactNamespace(tenantDigest), exact);
      if (partitionDigest != null) {
        removed |= tier.remove(semanticNamespace(partitionDigest), exact);
      }
    }
    if (partitionDigest != null) {
      Partition p = partitions.get(partitionDigest);
      if (p != null) {
        removed |= p.remove(exact);
      }
    }
    return removed;
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
    String[] parts = entryId.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("Not an LLM cache entry id: " + entryId);
    }
    if (!parts[0].equals(RequestKeys.tenantDigest(tenant))) {
      return false;
    }
    return invalidate(entryId);
  }

  /**
   * Counters since the cache was built.
   *
   * @return the statistics
   */
  public LlmCacheStats stats() {
    long entries = 0;
    for (Partition p : partitions.values()) {
      entries += p.index.size();
    }
    return new LlmCacheStats(exactHits.sum(), semanticHits.sum(), misses.sum(), bypassed.sum(),
        guardRejections.sum(), stores.sum(), storeRefusals.sum(), entries);
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
   * The cosine similarity a semantic hit needs.
   *
   * @return the threshold
   */
  public double similarityThreshold() {
    return threshold;
  }

  /**
   * Describes this object for logs.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "LlmCache[" + name + ", semantic=" + (embedder == null ? "off" : embedder.id()
        + " >= " + threshold) + ", tiers=" + tiers.size() + "]";
  }

  // ---------------------------------------------------------------- internals

  /** The digests of one request for one tenant. */
  private record Keys(LlmRequest request, String tenantDigest, String exact, String partition,
      String prompt) {
  }

  private Keys keys(LlmRequest request, CallOptions options) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(options, "options");
    long size = request.promptChars();
    if (size > maxPromptChars) {
      throw new InvalidRequestException(Reason.TOO_LARGE, "The prompt has " + size
          + " characters, more than this cache's limit of " + maxPromptChars
          + " (LlmCache.Builder.maxPromptChars)");
    }
    String tenant = options.tenantId();
    String prompt = request.lastUserText();
    // Long prompts are matched exactly only: a 384-dimension embedding of a long document says
    // little about whether two of them ask the same thing, and embedding them costs the most.
    String partition = embedder != null && prompt != null
        && prompt.length() <= semanticMaxPromptChars
        ? RequestKeys.partitionDigest(request, tenant, embedder.id()) : null;
    return new Keys(request, RequestKeys.tenantDigest(tenant),
        RequestKeys.exactDigest(request, tenant), partition, prompt);
  }

  private String exactNamespace(String tenantDigest) {
    return "llm:" + name + ":exact:" + tenantDigest;
  }

  private String semanticNamespace(String partition) {
    return "llm:" + name + ":semantic:" + partition;
  }

  private static String entryId(String tenantDigest, String exact, String partition) {
    return tenantDigest + "/" + exact + "/" + (partition == null ? "-" : partition);
  }

  private float[] embed(String prompt) {
    float[] v = recentEmbeddings.get(prompt);
    if (v == null) {
      v = embedder.embed(prompt);
      recentEmbeddings.put(prompt, v);
    }
    return v;
  }

  /** Memory first, then each tier in order; a tier hit is promoted to memory and the tiers above. */
  private StoredAnswer loadAnswer(String tenantDigest, String exact) {
    long now = System.currentTimeMillis();
    StoredAnswer inMemory = memory.getIfPresent(exact);
    if (inMemory != null) {
      if (inMemory.expiresAt == 0 || now < inMemory.expiresAt) {
        return inMemory;
      }
      memory.invalidate(exact);
    }
    String namespace = exactNamespace(tenantDigest);
    for (int i = 0; i < tiers.size(); i++) {
      byte[] bytes = tiers.get(i).get(namespace, exact);
      if (bytes == null) {
        continue;
      }
      try {
        EntryFrame frame = EntryFrame.decode(bytes);
        if (!ANSWER_TYPE.equals(frame.typeFingerprint()) || frame.isExpired(now)) {
          continue;
        }
        StoredAnswer answer = StoredAnswer.fromJson(frame.payload(), frame.expiresAtMillis());
        memory.put(exact, answer);
        for (int j = 0; j < i; j++) {
          tiers.get(j).put(namespace, exact, bytes, frame.expiresAtMillis(), List.of());
        }
        return answer;
      } catch (RuntimeException | IOException e) {
        LOG.log(Level.WARNING, "Unreadable LLM cache entry in " + tiers.get(i).describe()
            + "; treated as a miss", e);
        tiers.get(i).remove(namespace, exact);
      }
    }
    return null;
  }

  private Partition partition(String digest) {
    Partition p = partitions.computeIfAbsent(digest, d -> new Partition(d));
    p.syncIfStale();
    return p;
  }

  /** The vector index and prompts of one semantic partition. */
  private final class Partition {
    final String digest;
    final VectorIndex index;
    final Map<String, String> prompts = new ConcurrentHashMap<>();
    /** Insertion order, oldest first, for the capacity bound (O(1) removal by id). */
    final LinkedHashMap<String, Boolean> order = new LinkedHashMap<>();
    volatile long syncedAt; // 0: never (epoch millis, so the first check always syncs)
    final AtomicBoolean syncing = new AtomicBoolean();
    /** Ids added or evicted here, so a refresh never re-reads (or re-adds) them. */
    final java.util.Set<String> known = ConcurrentHashMap.newKeySet();

    Partition(String digest) {
      this.digest = digest;
      this.index = new VectorIndex(embedder.dimension(), annThreshold);
    }

    void add(String id, String prompt, float[] vector) {
      known.add(id);
      prompts.put(id, prompt);
      index.put(id, vector);
      String evicted = null;
      synchronized (order) {
        order.remove(id);
        order.put(id, Boolean.TRUE);
        if (order.size() > semanticCapacity) {
          evicted = order.keySet().iterator().next();
          order.remove(evicted);
        }
      }
      if (evicted != null) {
        // Bounded in memory; the entry stays in the tiers (and answers exact matches).
        prompts.remove(evicted);
        index.remove(evicted);
      }
    }

    boolean remove(String id) {
      known.remove(id); // removed everywhere: if it is stored again, read it again
      synchronized (order) {
        order.remove(id);
      }
      prompts.remove(id);
      return index.remove(id);
    }

    /**
     * Reads entries other processes (or earlier runs) stored, at most once per interval: the
     * first time on the caller's thread (so its lookup sees them), later in the background.
     */
    void syncIfStale() {
      long now = System.currentTimeMillis();
      if (tiers.isEmpty() || now - syncedAt < refreshMillis
          || !syncing.compareAndSet(false, true)) {
        return;
      }
      if (syncedAt == 0) {
        sync(now);
      } else {
        java.util.concurrent.ForkJoinPool.commonPool().execute(() -> sync(now));
      }
    }

    private void sync(long now) {
      try {
        String namespace = semanticNamespace(digest);
        for (Store tier : tiers) {
          List<String> digests;
          try {
            digests = tier.digests(namespace, semanticCapacity);
          } catch (UnsupportedOperationException e) {
            continue; // this store cannot list: no cross-process rebuild from it
          }
          for (String id : digests) {
            if (known.contains(id)) {
              continue;
            }
            byte[] bytes = tier.get(namespace, id);
            if (bytes == null) {
              continue;
            }
            try {
              EntryFrame frame = EntryFrame.decode(bytes);
              if (!SEMANTIC_TYPE.equals(frame.typeFingerprint()) || frame.isExpired(now)) {
                continue;
              }
              JsonNode node = OpenAiJson.MAPPER.readTree(frame.payload());
              float[] vector = decodeVector(node.path("vector").asText());
              if (vector.length == embedder.dimension()) {
                add(id, node.path("prompt").asText(), vector);
              }
            } catch (RuntimeException | IOException e) {
              LOG.log(Level.WARNING, "Unreadable semantic entry in " + tier.describe(), e);
            }
          }
        }
      } finally {
        syncedAt = System.currentTimeMillis();
        syncing.set(false);
      }
    }
  }

  private byte[] semanticJson(String prompt, float[] vector) {
    ObjectNode node = NODES.objectNode().put("prompt", prompt).put("embedder", embedder.id())
        .put("vector", encodeVector(vector));
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String encodeVector(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4);
    for (float x : v) {
      b.putFloat(x);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  private static float[] decodeVector(String base64) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
    float[] v = new float[b.remaining() / 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getFloat();
    }
    return v;
  }

  /** A stored answer: the response, its chunks for replay and the prompt it answered. */
  static final class StoredAnswer {
    final LlmResponse response;
    final List<String> chunks;
    final String prompt;
    final long storedAt;
    final long expiresAt;

    StoredAnswer(LlmResponse response, List<String> chunks, String prompt, long storedAt,
        long expiresAt) {
      this.response = response;
      this.chunks = chunks;
      this.prompt = prompt;
      this.storedAt = storedAt;
      this.expiresAt = expiresAt;
    }

    byte[] toJson() {
      ObjectNode node = NODES.objectNode();
      if (prompt != null) {
        node.put("prompt", prompt);
      }
      node.put("storedAt", storedAt);
      try {
        node.set("response", OpenAiJson.MAPPER.readTree(response.toJson()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      ArrayNode array = node.putArray("chunks");
      chunks.forEach(array::add);
      return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static StoredAnswer fromJson(byte[] payload, long expiresAt) throws IOException {
      JsonNode node = OpenAiJson.MAPPER.readTree(payload);
      LlmResponse response = LlmResponse.fromJson(node.get("response").toString());
      List<String> chunks = new ArrayList<>();
      node.path("chunks").forEach(c -> chunks.add(c.asText()));
      return new StoredAnswer(response, List.copyOf(chunks),
          node.hasNonNull("prompt") ? node.get("prompt").asText() : null,
          node.path("storedAt").asLong(), expiresAt);
    }
  }

  /** Settings of an {@link LlmCache}. */
  public static final class Builder {
    private final Cachet cachet;
    private String name = "default";
    private boolean semantic;
    private Embedder embedder;
    private SemanticGuard guard = new SemanticGuard();
    private double threshold = DEFAULT_SIMILARITY_THRESHOLD;
    private boolean serveSampled;
    private double assumedTemperature = 1.0;
    private boolean storeTruncated;
    private long maxPromptChars = 1_000_000;
    private int semanticMaxPromptChars = 2_000;
    private Duration ttl;
    private int annThreshold = VectorIndex.DEFAULT_ANN_THRESHOLD;
    private int semanticCapacity = 100_000;
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
     * Adds the semantic layer with the bundled model (all-MiniLM-L6-v2, quantized, local).
     *
     * @return this builder
     */
    public Builder semantic() {
      this.semantic = true;
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
     * {@value #DEFAULT_SIMILARITY_THRESHOLD} (calibrated for the bundled model).
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
     * limits).
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
     * default {@value VectorIndex#DEFAULT_ANN_THRESHOLD}.
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
