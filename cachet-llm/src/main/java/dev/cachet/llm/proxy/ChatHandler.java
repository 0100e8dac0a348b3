package dev.cachet.llm.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachet.llm.InvalidRequestException;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
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
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The most of an oversized body read and discarded before the 413 is sent. */
  private static final long DRAIN_LIMIT = 64L << 20;

  private final Upstream upstream;
  private final PassThrough passThrough;
  private final ProxyCache cache;
  private final Tenants tenants;
  private final int maxRequestBytes;
  private final Consumer<ProxyEvent> listener;

  ChatHandler(Upstream upstream, PassThrough passThrough, ProxyCache cache, Tenants tenants,
      int maxRequestBytes, Consumer<ProxyEvent> listener) {
    this.upstream = upstream;
    this.passThrough = passThrough;
    this.cache = cache;
    this.tenants = tenants;
    this.maxRequestBytes = maxRequestBytes;
    this.listener = listener;
  }

  void handle(HttpCall call) throws IOException {
    long start = System.nanoTime();
    byte[] body = readBody(call);
    if (body == null) {
      Responses.error(call, 413, "The request body is larger than the proxy's limit of "
          + maxRequestBytes + " bytes", ErrorBodies.INVALID_REQUEST, "request_too_large");
      event(call, CacheStatus.MISS, 413, false, Double.NaN, start, "request too large");
      return;
    }
    LlmRequest request;
    JsonNode root;
    try {
      request = LlmRequest.fromJson(new String(body, StandardCharsets.UTF_8));
      root = MAPPER.readTree(body);
    } catch (InvalidRequestException e) {
      if (e.reason() == InvalidRequestException.Reason.UNSUPPORTED) {
        // Valid for the upstream, but one cached answer cannot stand for it (n > 1, images):
        // forward it untouched and keep nothing.
        passThrough.forward(call, body, start, "not cached: " + e.getMessage());
        return;
      }
      refuse(call, e, start);
      return;
    }
    boolean stream = root.path("stream").asBoolean(false);
    boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
    String tenant = tenants.tenantOf(call::headerValues, call.rawQuery());
    if (!stream) {
      answer(call, body, tenant, request, start);
      return;
    }

    ProxyCache.Match match;
    try {
      match = cache.lookup(tenant, request);
    } catch (InvalidRequestException e) {
      refuse(call, e, start);
      return;
    } catch (RuntimeException e) {
      // A cache that fails must not fail the call: the upstream can still answer it.
      LOG.log(Level.WARNING, "LLM cache lookup failed; answering from the upstream", e);
      match = ProxyCache.Match.miss("cache lookup failed: " + e);
    }
    if (match.isHit()) {
      replay(call, request, match, true, includeUsage, start);
    } else {
      streamMiss(call, body, tenant, request, match.detail(), start);
    }
  }

  /**
   * A non-streamed request, through the cache's single flight: of several identical requests
   * arriving together, one goes upstream and the others wait for its answer (a hit for them)
   * or its error (passed through to each of them unchanged).
   */
  private void answer(HttpCall call, byte[] body, String tenant, LlmRequest request,
      long start) throws IOException {
    // The upstream's own response when this request made the call, forwarded byte for byte.
    AtomicReference<HttpResponse<byte[]>> mine = new AtomicReference<>();
    ProxyCache.Answer answer;
    try {
      answer = cache.chat(tenant, request, forwarded -> {
        HttpResponse<byte[]> response;
        try {
          response = upstream.send(upstreamRequest(call, body, false),
              HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(new IOException("interrupted", e));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        mine.set(response);
        if (response.statusCode() / 100 != 2) {
          throw new UpstreamAnswer(response, "upstream " + response.statusCode()
              + ", not stored");
        }
        try {
          return LlmResponse.fromJson(new String(response.body(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
          throw new UpstreamAnswer(response, "answer not stored: " + e.getMessage());
        }
      });
    } catch (UpstreamAnswer e) {
      // This request's call, or the call it waited for, had no answer to store.
      forward(call, e.response, start, e.getMessage());
      return;
    } catch (UncheckedIOException e) {
      int code = Responses.upstreamUnreachable(call, upstream, e.getCause());
      event(call, CacheStatus.MISS, code, false, Double.NaN, start, "upstream unreachable");
      return;
    } catch (InvalidRequestException e) {
      refuse(call, e, start);
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
    } else {
      replay(call, request, answer.match(), false, false, start);
    }
  }

  /** An upstream answer that is not to be stored, carried out of the cache's flight. */
  private static final class UpstreamAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient HttpResponse<byte[]> response;

    UpstreamAnswer(HttpResponse<byte[]> response, String why) {
      super(why, null, false, false);
      this.response = response;
    }
  }

  private void forward(HttpCall call, HttpResponse<byte[]> response, long start, String note)
      throws IOException {
    Upstream.copyResponseHeaders(response.headers(), call, CacheStatus.MISS);
    call.send(response.statusCode(), response.body());
    event(call, CacheStatus.MISS, response.statusCode(), false, Double.NaN, start, note);
  }

  private void refuse(HttpCall call, InvalidRequestException e, long start)
      throws IOException {
    Responses.error(call, 400, e.getMessage(), ErrorBodies.INVALID_REQUEST,
        e.reason().name().toLowerCase(Locale.ROOT));
    event(call, CacheStatus.MISS, 400, false, Double.NaN, start,
        "refused: " + e.reason().name().toLowerCase(Locale.ROOT));
  }

  /** Reads the body, or returns null when it exceeds the limit. */
  private byte[] readBody(HttpCall call) throws IOException {
    try (InputStream in = call.body()) {
      byte[] body = in.readNBytes(maxRequestBytes + 1);
      if (body.length <= maxRequestBytes) {
        return body;
      }
      // Read (a bounded amount of) the rest before answering: a server that answers while the
      // client is still sending and then closes makes the client's stack report a reset
      // connection instead of the 413 and its message.
      long drained = 0;
      byte[] sink = new byte[8192];
      int n;
      while (drained < DRAIN_LIMIT && (n = in.read(sink)) != -1) {
        drained += n;
      }
      return null;
    }
  }

  private void replay(HttpCall call, LlmRequest request, ProxyCache.Match match,
      boolean stream, boolean includeUsage, long start) throws IOException {
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
    HttpResponse<byte[]> response;
    try {
      response = upstream.send(upstreamRequest(call, body, false),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the upstream", e);
    } catch (IOException e) {
      int code = Responses.upstreamUnreachable(call, upstream, e);
      event(call, CacheStatus.MISS, code, false, Double.NaN, start, "upstream unreachable");
      return;
    }
    forward(call, response, start, why);
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
      String why, long start) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = upstream.send(upstreamRequest(call, body, true),
          HttpResponse.BodyHandlers.ofInputStream());
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
    StreamAssembler assembler = new StreamAssembler(Math.max(maxRequestBytes, 1 << 24));
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
        if (eventStream) {
          assembler.feed(buffer, 0, n);
        }
        if (!clientGone) {
          try {
            call.write(buffer, 0, n); // sent before the next read: tokens go out as they come
          } catch (IOException e) {
            // The client left; the upstream's answer is paid for, so read it to the end and
            // keep it for the next caller.
            clientGone = true;
          }
        }
      }
    }
    String note;
    if (status / 100 != 2) {
      note = "upstream " + status + ", not stored";
    } else if (!eventStream) {
      note = "upstream answered " + contentType + " to a stream request, not stored";
    } else if (upstreamFailure != null) {
      note = "stream cut off (" + upstreamFailure.getMessage() + "), not stored";
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
