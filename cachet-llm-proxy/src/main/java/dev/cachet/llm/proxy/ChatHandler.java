package dev.cachet.llm.proxy;

import dev.cachet.llm.InvalidRequestException;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /v1/chat/completions}: answers from the cache when it can, otherwise forwards to
 * the upstream, passes its answer on (streamed ones as they arrive) and stores it when it is a
 * complete success.
 */
final class ChatHandler {
  private static final Logger LOG = Logger.getLogger(ChatHandler.class.getName());

  /**
   * The most JSON values a request may hold to be keyed: far above any real conversation (a
   * 4 MiB prompt of text is one value), far below the million-object bodies that would take
   * hundreds of megabytes as a tree.
   */
  static final long MAX_JSON_VALUES = 200_000;
  /** The deepest nesting a request may have to be keyed. */
  static final int MAX_JSON_DEPTH = 200;

  /** The response header naming the entry a hit was served from (for deleting it). */
  static final String ENTRY_ID_HEADER = "X-Cache-Entry-Id";

  private final Upstream upstream;
  private final PassThrough passThrough;
  private final ProxyCache cache;
  private final Tenants tenants;
  private final int maxRequestBytes;
  private final int maxResponseBytes;
  private final Consumer<ProxyEvent> listener;
  private final KeyCheck keyCheck;
  private final ProxyMetrics metrics;

  ChatHandler(Upstream upstream, PassThrough passThrough, ProxyCache cache, Tenants tenants,
      int maxRequestBytes, int maxResponseBytes, KeyCheck keyCheck, ProxyMetrics metrics,
      Consumer<ProxyEvent> listener) {
    this.keyCheck = keyCheck;
    this.metrics = metrics;
    this.maxResponseBytes = maxResponseBytes;
    this.upstream = upstream;
    this.passThrough = passThrough;
    this.cache = cache;
    this.tenants = tenants;
    this.maxRequestBytes = maxRequestBytes;
    this.listener = listener;
  }

  /**
   * Answers one chat request whose body has been read (see {@link RequestBody}).
   */
  void handle(HttpCall call, RequestBody.Result read) throws IOException {
    long start = System.nanoTime();
    if (read.failure() != null) {
      if (read.failure() instanceof TimeoutException) {
        Responses.error(call, 408, "The request body did not arrive within the proxy's client"
            + " idle timeout: send the body without pauses", ErrorBodies.INVALID_REQUEST,
            "request_timeout");
        event(call, CacheStatus.MISS, 408, false, Double.NaN, start, "request body timed out");
      } else {
        call.abort(read.failure());
      }
      return;
    }
    if (read.tooLarge()) {
      Responses.error(call, 413, "The request body is larger than the proxy's limit of "
          + maxRequestBytes + " bytes (set with maxRequestBytes / --max-request-bytes)",
          ErrorBodies.INVALID_REQUEST, "request_too_large");
      event(call, CacheStatus.MISS, 413, false, Double.NaN, start, "request too large");
      return;
    }
    byte[] body = read.bytes();
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      Responses.error(call, 400, "The request body is not valid UTF-8 (JSON must be sent as"
          + " UTF-8): " + e.getMessage(), ErrorBodies.INVALID_REQUEST, "malformed_json");
      event(call, CacheStatus.MISS, 400, false, Double.NaN, start, "refused: not UTF-8");
      return;
    }
    RequestScan scan;
    try {
      scan = RequestScan.of(body);
    } catch (IOException malformed) {
      scan = null; // the full parse below reports where, in its usual words
    }
    if (scan != null && !scan.object()) {
      refuse(call, new InvalidRequestException(InvalidRequestException.Reason.MALFORMED_JSON,
          "The request body must be a JSON object with 'model' and 'messages'"), start);
      return;
    }
    if (scan != null && (scan.values() > MAX_JSON_VALUES || scan.depth() > MAX_JSON_DEPTH)) {
      // Too many parts to key without a tree of hundreds of megabytes; the upstream judges it.
      passThrough.forwardBypassing(call, body, start, "request-too-complex",
          "not cached: the request holds " + scan.values() + " JSON values, nested "
          + scan.depth() + " deep (the cache keys at most " + MAX_JSON_VALUES + ", "
          + MAX_JSON_DEPTH + " deep)");
      return;
    }
    if (scan != null && scan.nonFinite()) {
      passThrough.forwardBypassing(call, body, start, "non-finite-number",
          "not cached: a number is beyond the range of a double (such as 1e999)");
      return;
    }
    LlmRequest request;
    try {
      request = LlmRequest.fromJson(text);
      text = null; // the request holds what it needs; let a large body's text go
    } catch (InvalidRequestException e) {
      cannotCache(call, body, e, start);
      return;
    }
    boolean stream = scan != null && scan.stream();
    boolean includeUsage = scan != null && scan.includeUsage();
    String tenant = tenants.tenantOf(call::headerValues, call.rawQuery());
    CacheControls controls = CacheControls.of(call::headerValues);
    if (!stream) {
      answer(call, body, tenant, request, controls, start);
      return;
    }

    ProxyCache.Match match;
    try {
      match = controls.read() ? cache.lookup(tenant, request)
          : ProxyCache.Match.miss(controls.note());
      if (match.isHit() && match.olderThan(controls.maxAgeSeconds(), System.currentTimeMillis())) {
        match = ProxyCache.Match.miss("older than max-age=" + controls.maxAgeSeconds());
      }
    } catch (InvalidRequestException e) {
      cannotCache(call, body, e, start);
      return;
    } catch (RuntimeException e) {
      // A cache that fails must not fail the call: the upstream can still answer it.
      LOG.log(Level.WARNING, "LLM cache lookup failed; answering from the upstream", e);
      match = ProxyCache.Match.miss("cache lookup failed: " + e);
    }
    if (match.isHit() && !keyCheck.allows(call, tenant)) {
      revoked(call, body, start);
    } else if (match.isHit()) {
      replay(call, tenant, request, match, true, includeUsage, start);
    } else {
      streamMiss(call, body, tenant, request, controls, match.detail(), start);
    }
  }

  /**
   * A non-streamed request, through the cache's single flight: of several identical requests
   * arriving together, one goes upstream and the others wait for its answer (a hit for them)
   * or its error (passed through to each of them unchanged).
   */
  private void answer(HttpCall call, byte[] body, String tenant, LlmRequest request,
      CacheControls controls, long start) throws IOException {
    // The upstream's own response when this request made the call, forwarded byte for byte.
    AtomicReference<Fetched> mine = new AtomicReference<>();
    ProxyCache.Answer answer;
    try {
      java.util.function.Function<LlmRequest, LlmResponse> fetch = forwarded -> {
        HttpResponse<InputStream> response;
        byte[] bytes;
        try {
          response = upstream.open(upstreamRequest(call, body, false), true);
          InputStream in = response.body();
          bytes = Upstream.readAtMost(in, maxResponseBytes);
          if (bytes.length > maxResponseBytes) {
            // Too large to keep: only this caller can pass the rest of the body on.
            Fetched head = new Fetched(response.statusCode(), response.headers(), bytes, in);
            mine.set(head);
            throw new UpstreamAnswer(head, "the answer is larger than the proxy buffers ("
                + maxResponseBytes + " bytes), not stored");
          }
          in.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(new IOException("interrupted", e));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        Fetched fetched = new Fetched(response.statusCode(), response.headers(), bytes, null);
        mine.set(fetched);
        if (fetched.status / 100 != 2) {
          throw new UpstreamAnswer(fetched, "upstream " + fetched.status + ", not stored");
        }
        try {
          return LlmResponse.fromJson(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
          throw new UpstreamAnswer(fetched, "answer not stored: " + e.getMessage());
        }
      };
      answer = cache.chat(tenant, request, controls, fetch);
      if (answer.match().isHit()
          && answer.match().olderThan(controls.maxAgeSeconds(), System.currentTimeMillis())) {
        // The stored answer is older than the client's max-age: ask again, and store anew.
        answer = cache.chat(tenant, request, controls.refreshing(), fetch);
      }
    } catch (UpstreamAnswer e) {
      // This request's call, or the call it waited for, had no answer to store.
      if (e.answer.rest != null && mine.get() != e.answer) {
        // Another caller's oversized answer: its body can be read by that caller only.
        passThrough.forward(call, body, start, e.getMessage());
        return;
      }
      forward(call, e.answer, start, e.getMessage());
      return;
    } catch (UncheckedIOException e) {
      int code = Responses.upstreamUnreachable(call, upstream, e.getCause());
      event(call, CacheStatus.MISS, code, false, Double.NaN, start, "upstream unreachable");
      return;
    } catch (InvalidRequestException e) {
      cannotCache(call, body, e, start);
      return;
    } catch (RuntimeException e) {
      if (mine.get() != null) {
        // The upstream answered; only keeping it failed.
        LOG.log(Level.WARNING, "LLM cache store failed; the answer was sent but not kept", e);
        forward(call, mine.get(), start, "not stored: " + e);
        return;
      }
      // A cache that fails must not fail the call: the upstream can still answer it.
      LOG.log(Level.WARNING, "LLM cache failed; answering from the upstream", e);
      plainMiss(call, body, "cache failed: " + e, start);
      return;
    }
    if (mine.get() != null) {
      String notStored = answer.notStored();
      forward(call, mine.get(), start, join(answer.match().detail(),
          notStored == null ? "" : "not stored: " + notStored));
    } else if (!keyCheck.allows(call, tenant)) {
      revoked(call, body, start);
    } else {
      replay(call, tenant, request, answer.match(), false, false, start);
    }
  }

  /**
   * {@code DELETE /v1/cachet/entries/<id>}: removes an entry, when it belongs to the caller's
   * own partition (the same credentials, tenant header, namespace and query as the request
   * that stored it), so deleting needs the key that could read it.
   */
  void delete(HttpCall call) throws IOException {
    String shown = call.path().substring(ENTRIES_PATH.length());
    onOwnEntry(call, shown, "delete", "Deleting a cached entry needs the API key it was stored"
        + " under", "a hit", cache::invalidate, "\"deleted\":true",
        "No cached entry '" + brief(shown) + "' for this API key: it expired, was deleted, or"
        + " was stored under another key", "entry_not_found");
  }

  /**
   * {@code POST /v1/cachet/entries/<id>/correct} or {@code .../wrong}: tells the cache's
   * error-bounded mode whether a semantic hit's answer was right, with the same credentials
   * the hit was served under (a client cannot move another key's threshold).
   */
  void feedback(HttpCall call) throws IOException {
    String rest = call.path().substring(ENTRIES_PATH.length());
    boolean correct = rest.endsWith(CORRECT);
    String shown = rest.substring(0, rest.length() - (correct ? CORRECT : WRONG).length());
    onOwnEntry(call, shown, "feedback", "Feedback on a cached entry needs the API key its hit"
        + " was served under", "a semantic hit",
        (tenant, id) -> cache.feedback(tenant, id, correct),
        "\"correct\":" + correct + ",\"recorded\":true",
        "No semantic hit from '" + brief(shown) + "' awaits feedback for this API key: the"
        + " proxy's cache is not error-bounded (--semantic-max-error), the hit was exact,"
        + " already judged, older than a day, or served under another key",
        "feedback_not_recorded");
  }

  /**
   * Applies an action to an entry of the caller's own partition: 401 without credentials, 400
   * for an id that is not one, 404 when the action finds nothing of the caller's to act on.
   *
   * @param done the JSON members after {@code "id"} of the 200 answer
   */
  private void onOwnEntry(HttpCall call, String shown, String what, String needsKey,
      String idSource, BiPredicate<String, String> action, String done,
      String notFound, String notFoundCode) throws IOException {
    long start = System.nanoTime();
    String tenant = tenants.tenantOf(call::headerValues, call.rawQuery());
    int status;
    if (tenant.startsWith(Tenants.ANONYMOUS)) {
      status = 401;
      Responses.error(call, status, needsKey + " (in the same header or query parameter)",
          ErrorBodies.INVALID_REQUEST, "missing_api_key");
    } else {
      boolean acted;
      try {
        acted = action.test(tenant, EntryIds.internal(shown));
      } catch (IllegalArgumentException e) {
        status = 400;
        Responses.error(call, status, "'" + brief(shown) + "' is not a cache entry id: use the"
            + " value of the " + ENTRY_ID_HEADER + " header of " + idSource,
            ErrorBodies.INVALID_REQUEST, "invalid_entry_id");
        event(call, CacheStatus.MISS, status, false, Double.NaN, start, what + " refused");
        return;
      }
      status = acted ? 200 : 404;
      if (acted) {
        // Only a valid id gets here, so it needs no escaping.
        Responses.send(call, 200, "application/json", CacheStatus.MISS,
            ("{\"id\":\"" + shown + "\"," + done + "}").getBytes(StandardCharsets.UTF_8));
      } else {
        Responses.error(call, 404, notFound, ErrorBodies.INVALID_REQUEST, notFoundCode);
      }
    }
    event(call, CacheStatus.MISS, status, false, Double.NaN, start, what);
  }

  /** An id as quoted back in an error: a client can send any length, the message stays short. */
  private static String brief(String shown) {
    return shown.length() <= 80 ? shown : shown.substring(0, 80) + "...";
  }

  /** The suffixes of a feedback path after the entry id. */
  static final String CORRECT = "/correct";
  static final String WRONG = "/wrong";

  /** Whether a request is a feedback post. */
  static boolean isFeedback(HttpCall call) {
    return call.method().equalsIgnoreCase("POST") && call.path() != null
        && call.path().startsWith(ENTRIES_PATH)
        && (call.path().endsWith(CORRECT) || call.path().endsWith(WRONG));
  }

  /** The path under which entries are deleted, followed by an entry id. */
  static final String ENTRIES_PATH = "/v1/cachet/entries/";

  /** A hit for a key the upstream no longer accepts: the upstream gives its own answer. */
  private void revoked(HttpCall call, byte[] body, long start) throws IOException {
    passThrough.forwardBypassing(call, body, start, "key-rejected",
        "not served from the cache: the upstream rejected this key at its last check");
  }

  /**
   * An upstream answer read into memory, up to the proxy's limit.
   *
   * @param rest the unread rest of the body when the answer was larger than the limit (then
   *     {@code head} holds the first {@code limit + 1} bytes), else null
   */
  private record Fetched(int status, HttpHeaders headers, byte[] head, InputStream rest) {
  }

  /** An upstream answer that is not to be stored, carried out of the cache's flight. */
  private static final class UpstreamAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Fetched answer;

    UpstreamAnswer(Fetched answer, String why) {
      super(why, null, false, false);
      this.answer = answer;
    }
  }

  private void forward(HttpCall call, Fetched answer, long start, String note)
      throws IOException {
    if (answer.rest == null) {
      Upstream.copyResponseHeaders(answer.headers, call, CacheStatus.MISS);
      call.send(answer.status, answer.head);
      event(call, CacheStatus.MISS, answer.status, false, Double.NaN, start, note);
      return;
    }
    Upstream.copyResponseHeaders(answer.headers, call, CacheStatus.BYPASS);
    call.setHeader(CacheStatus.REASON_HEADER, "response-too-large");
    call.status(answer.status);
    answer.headers.firstValue("content-length")
        .ifPresent(length -> call.setHeader("Content-Length", length));
    call.write(answer.head, 0, answer.head.length);
    try (InputStream in = answer.rest) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        call.write(buffer, 0, n);
      }
    } catch (IOException e) {
      event(call, CacheStatus.BYPASS, answer.status, false, Double.NaN, start,
          note + "; cut off: " + e.getMessage());
      call.abort(e);
      return;
    }
    call.finish();
    event(call, CacheStatus.BYPASS, answer.status, false, Double.NaN, start, note);
  }

  /**
   * A request the cache cannot key. When the request may still be one the upstream accepts (a
   * prompt over the cache's size limit, a role or a legacy {@code function_call} turn the
   * cache does not model, empty content, images), it is forwarded uncached as
   * {@code X-Cache: BYPASS}: the upstream judges it, not the proxy. Only requests that are
   * broken as sent (not JSON, a field missing or of the wrong type) get the proxy's 400.
   */
  private void cannotCache(HttpCall call, byte[] body, InvalidRequestException e, long start)
      throws IOException {
    String reason = switch (e.reason()) {
      case TOO_LARGE -> "prompt-too-large";
      case UNKNOWN_ROLE -> "unknown-role";
      case EMPTY_MESSAGES -> "empty-message";
      case UNSUPPORTED -> "unsupported";
      default -> null;
    };
    if (reason == null) {
      refuse(call, e, start);
      return;
    }
    passThrough.forwardBypassing(call, body, start, reason, "not cached: " + e.getMessage());
  }

  private void refuse(HttpCall call, InvalidRequestException e, long start)
      throws IOException {
    Responses.error(call, 400, e.getMessage(), ErrorBodies.INVALID_REQUEST,
        e.reason().name().toLowerCase(Locale.ROOT));
    event(call, CacheStatus.MISS, 400, false, Double.NaN, start,
        "refused: " + e.reason().name().toLowerCase(Locale.ROOT));
  }

  private void replay(HttpCall call, String tenant, LlmRequest request, ProxyCache.Match match,
      boolean stream, boolean includeUsage, long start) throws IOException {
    metrics.hit(tenant, request.model(), match.response());
    if (match.entryId() != null) {
      call.setHeader(ENTRY_ID_HEADER, EntryIds.shown(match.entryId()));
    }
    if (match.storedAtMillis() > 0) {
      // RFC 9111 Age: how long ago the answer was made, in seconds.
      call.setHeader("Age", String.valueOf(
          Math.max(0, (System.currentTimeMillis() - match.storedAtMillis()) / 1000)));
    }
    if (match.status() == CacheStatus.SEMANTIC_HIT && !Double.isNaN(match.similarity())) {
      call.setHeader("X-Cache-Similarity",
          String.format(Locale.ROOT, "%.4f", match.similarity()));
    }
    if (stream) {
      call.setHeader("Cache-Control", "no-cache");
      Responses.send(call, 200, "text/event-stream; charset=utf-8", match.status(),
          Replay.stream(match.response(), match.chunks(), request.model(), includeUsage));
    } else {
      Responses.send(call, 200, "application/json", match.status(),
          Replay.completion(match.response(), request.model()));
    }
    event(call, match.status(), 200, stream, match.similarity(), start, "");
  }

  private HttpRequest upstreamRequest(HttpCall call, byte[] body, boolean stream) {
    // The client's exact bytes go upstream: the proxy never rewrites a request it forwards.
    return upstream.request(call, HttpRequest.BodyPublishers.ofByteArray(body), true, stream)
        .build();
  }

  /** Forwards without the cache (when the cache itself failed), storing nothing. */
  private void plainMiss(HttpCall call, byte[] body, String why, long start)
      throws IOException {
    passThrough.forward(call, body, start, why);
  }

  private String storeResponse(String tenant, LlmRequest request, LlmResponse response,
      List<String> chunks) {
    try {
      String refused = cache.store(tenant, request, response, chunks);
      return refused == null ? "" : "not stored: " + refused;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "LLM cache store failed; the answer was sent but not kept", e);
      return "not stored: " + e.getMessage();
    }
  }

  private void streamMiss(HttpCall call, byte[] body, String tenant, LlmRequest request,
      CacheControls controls, String why, long start) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = upstream.open(upstreamRequest(call, body, true), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the upstream", e);
    } catch (IOException e) {
      int code = Responses.upstreamUnreachable(call, upstream, e);
      event(call, CacheStatus.MISS, code, true, Double.NaN, start, "upstream unreachable");
      return;
    }
    int status = response.statusCode();
    String contentType = response.headers().firstValue("content-type").orElse("");
    boolean eventStream = status / 100 == 2
        && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    Upstream.copyResponseHeaders(response.headers(), call, CacheStatus.MISS);
    call.status(status);
    StreamAssembler assembler = new StreamAssembler(maxResponseBytes);
    long fed = 0;
    boolean clientGone = false;
    IOException upstreamFailure = null;
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[8192];
      int n;
      while (true) {
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          upstreamFailure = e;
          break;
        }
        if (n == -1) {
          break;
        }
        // Past the limit the stream still reaches the client but is no longer assembled, so
        // one answer cannot hold more than the limit in memory.
        fed += n;
        if (eventStream && fed <= maxResponseBytes) {
          assembler.feed(buffer, 0, n);
        }
        try {
          call.write(buffer, 0, n); // sent before the next read: tokens go out as they come
        } catch (IOException e) {
          // The client left: stop reading (closing the body cancels the upstream call), so
          // an abandoned stream holds neither a thread nor the upstream's connection.
          clientGone = true;
          break;
        }
      }
    }
    if (upstreamFailure instanceof HttpTimeoutException && eventStream) {
      // Tell the client why its stream ends, in the shape OpenAI sends in-stream errors,
      // before dropping the connection.
      try {
        call.write(sseError(upstreamFailure.getMessage()));
      } catch (IOException ignored) {
        // The client is gone too; the dropped connection below says the rest.
      }
    }
    String note;
    if (status / 100 != 2) {
      note = "upstream " + status + ", not stored";
    } else if (!eventStream) {
      note = "upstream answered " + contentType + " to a stream request, not stored";
    } else if (upstreamFailure != null) {
      note = "stream cut off (" + upstreamFailure.getMessage() + "), not stored";
    } else if (clientGone) {
      note = "the client left mid-stream, not stored";
    } else if (fed > maxResponseBytes) {
      note = "the stream is larger than the proxy buffers (" + maxResponseBytes
          + " bytes), not stored";
    } else {
      assembler.finish();
      LlmResponse full;
      String whyNot = assembler.whyNot();
      try {
        full = assembler.complete();
      } catch (InvalidRequestException e) {
        full = null; // a tool call without a name, say: not an answer to keep
        whyNot = e.getMessage();
      }
      note = full == null ? "not stored: " + whyNot
          : !controls.write() ? "not stored: no-store"
          : storeResponse(tenant, request, full, assembler.pieces());
    }
    note = join(why, note);
    event(call, CacheStatus.MISS, status, true, Double.NaN, start, note);
    if (upstreamFailure != null || clientGone) {
      // Ending normally would close the chunked body cleanly and hide the cut from the client;
      // failing the call makes the server drop the connection instead.
      call.abort(upstreamFailure != null ? upstreamFailure
          : new IOException("the client closed the connection"));
    } else {
      call.finish();
    }
  }

  private static byte[] sseError(String message) {
    return ("data: " + new String(ErrorBodies.json("The stream ended early: " + message,
        ErrorBodies.UPSTREAM, "upstream_timeout"), StandardCharsets.UTF_8) + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String join(String why, String note) {
    if (why == null || why.isEmpty()) {
      return note;
    }
    return note.isEmpty() ? why : why + "; " + note;
  }

  private void event(HttpCall call, CacheStatus status, int code, boolean stream,
      double similarity, long start, String note) {
    listener.accept(new ProxyEvent(call.method(), call.path(), status, code, stream, similarity,
        System.nanoTime() - start, note));
  }
}
