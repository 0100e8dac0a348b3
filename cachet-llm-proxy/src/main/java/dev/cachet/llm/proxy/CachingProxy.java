package dev.cachet.llm.proxy;

import dev.cachet.Cache;
import dev.cachet.Cachet;
import dev.cachet.llm.LlmCache;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An OpenAI-compatible HTTP proxy that caches chat completions, so a program in any language
 * uses Cachet by changing its base URL.
 *
 * <p>{@code POST /v1/chat/completions} is answered from the cache when it can be (exactly, or
 * semantically when enabled), streamed or not as the client asked; otherwise it is forwarded,
 * and a complete successful answer is stored. Every other path and method is forwarded verbatim
 * and never cached. Every answer carries {@code X-Cache: HIT}, {@code SEMANTIC-HIT} or
 * {@code MISS}. Upstream errors pass through unchanged and are never stored; requests the cache
 * cannot read get an OpenAI-style 4xx from the proxy itself.
 *
 * <pre>{@code
 * try (CachingProxy proxy = CachingProxy.builder(URI.create("https://api.openai.com"))
 *     .port(8787).cachet(cachet).semantic(true).build().start()) {
 *   // clients use http://127.0.0.1:8787/v1 as their base URL
 * }
 * }</pre>
 *
 * <p>Served by an embedded Jetty 12 on a thread pool of its own (one thread per request in
 * progress, so a streamed answer holds one for its duration); the upstream is called with the
 * JDK's {@link java.net.http.HttpClient}. Thread-safe; one instance serves many clients at once.
 */
public final class CachingProxy implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CachingProxy.class.getName());
  /** The path whose answers are cached. */
  public static final String CHAT_COMPLETIONS = "/v1/chat/completions";
  /** The name of the cache, in the proxy's Cachet, that keeps embeddings answers. */
  private static final String EMBEDDINGS_CACHE = "llm-proxy:embeddings";
  /** The path of the proxy's own counters, in Prometheus text; never forwarded. */
  public static final String METRICS = "/metrics";
  /** The methods the proxy forwards, for {@code Allow}. */
  private static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

  private final Builder settings;
  private final ProxyCache cache;
  /** The Cachet the proxy made for itself when given none; closed with the proxy. */
  private final Cachet ownCachet;
  /** Where embeddings are cached; null when the proxy was given an LlmCache only. */
  private final Cache<String, String> embeddings;
  private Server server;
  private volatile ProxyMetrics metrics;
  private ServerConnector connector;
  /** Requests being answered, so close() waits for them rather than for a fixed delay. */
  private final AtomicInteger active = new AtomicInteger();

  private CachingProxy(Builder settings) {
    this.settings = settings;
    if (settings.proxyCache != null) {
      this.cache = settings.proxyCache;
      this.ownCachet = null;
      this.embeddings = settings.cachet == null ? null : settings.cachet.cache(EMBEDDINGS_CACHE);
      return;
    }
    LlmCache llm = settings.llmCache;
    Cachet own = null;
    if (llm == null) {
      Cachet cachet = settings.cachet;
      if (cachet == null) {
        cachet = own = Cachet.create();
      }
      LlmCache.Builder b = LlmCache.builder(cachet);
      if (Boolean.TRUE.equals(settings.semantic)) {
        b.semantic();
        if (!Double.isNaN(settings.semanticMaxError)) {
          b.errorBound(settings.semanticMaxError);
        }
      }
      llm = b.build();
    } else if (!Double.isNaN(settings.semanticMaxError)) {
      throw new IllegalArgumentException("semanticMaxError applies to the cache the proxy builds;"
          + " build yours with LlmCache.builder(cachet).semantic().errorBound(rate)");
    } else if (Boolean.TRUE.equals(settings.semantic) && !llm.isSemantic()) {
      throw new IllegalArgumentException("semantic(true) needs an LlmCache with a semantic"
          + " layer: build it with LlmCache.builder(cachet).semantic()");
    }
    boolean semantic = settings.semantic == null ? llm.isSemantic() : settings.semantic;
    this.cache = ProxyCaches.over(llm, semantic, settings.serveSampled);
    this.ownCachet = own;
    Cachet tiers = own != null ? own : settings.cachet;
    this.embeddings = tiers == null ? null : tiers.cache(EMBEDDINGS_CACHE);
  }

  /**
   * Starts describing a proxy.
   *
   * @param upstream the OpenAI-compatible server to forward to, such as
   *     {@code https://api.openai.com} (a trailing {@code /v1} is accepted too)
   * @return a builder with the defaults: port 8787 on 127.0.0.1, exact caching in a new
   *     in-memory {@link Cachet}, no tenant header, 4 MiB request limit, 16 MiB response
   *     buffer, 10 minute upstream timeout, 2 minute upstream idle timeout, 30 minute stream
   *     timeout, 30 second client idle timeout
   */
  public static Builder builder(URI upstream) {
    return new Builder(upstream);
  }

  /**
   * Opens the port and starts answering.
   *
   * @return this proxy
   * @throws IOException when the port cannot be bound (in use, or not allowed)
   * @throws IllegalStateException when already started
   */
  public synchronized CachingProxy start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("The proxy is already started, on port " + port());
    }
    Upstream upstream = new Upstream(settings.upstream, settings.connectTimeout,
        settings.upstreamTimeout, settings.upstreamIdleTimeout, settings.streamTimeout);
    ProxyMetrics metrics = new ProxyMetrics(settings.prices);
    this.metrics = metrics;
    Consumer<ProxyEvent> user = safe(settings.listener);
    Consumer<ProxyEvent> listener = event -> {
      metrics.answered(event);
      user.accept(event);
    };
    PassThrough passThrough = new PassThrough(upstream, listener);
    ChatHandler chat = new ChatHandler(upstream, passThrough, cache,
        new Tenants(settings.tenantHeader), settings.maxRequestBytes, settings.maxResponseBytes,
        new KeyCheck(upstream, settings.keyCheckInterval), metrics, listener);
    EmbeddingsHandler embed = embeddings == null ? null : new EmbeddingsHandler(upstream,
        embeddings, new Tenants(settings.tenantHeader), settings.maxRequestBytes,
        settings.maxResponseBytes, listener);
    // A streamed answer holds its thread for as long as the model writes, so the pool is
    // sized for concurrent streams, not for CPU; Jetty's acceptor and selector need a few more.
    QueuedThreadPool pool = new QueuedThreadPool(settings.threads + 8, 2);
    pool.setName("cachet-proxy");
    pool.setDaemon(true);
    Server jetty = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector socket = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
    socket.setHost(settings.host);
    socket.setPort(settings.port);
    // The client idle timeout bounds a stalled read of the request body and a stalled write
    // to a client that stopped reading; while the proxy waits for the upstream nothing is
    // pending on the client's connection, and the listener below keeps it open.
    socket.setIdleTimeout(settings.clientIdleTimeout.toMillis());
    jetty.addConnector(socket);
    jetty.setErrorHandler(new JsonErrorHandler());
    long upstreamWait = Math.max(settings.clientIdleTimeout.toMillis(),
        settings.upstreamTimeout.plus(settings.upstreamIdleTimeout).toMillis());
    jetty.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        active.incrementAndGet();
        // Idle timeouts fail only a pending read or write, never a request waiting on the
        // upstream (a slow model is not an idle client).
        request.addIdleTimeoutListener(timeout -> false);
        HttpCall call = new HttpCall(request, response, callback,
            settings.clientIdleTimeout.toMillis(), upstreamWait);
        boolean embedding = embed != null && isEmbeddings(call);
        if (!isChat(call) && !embedding) {
          // A pass-through body is streamed to the upstream while the proxy waits for it.
          call.awaitingUpstream();
          try {
            route(call, chat, passThrough, null, metrics, null, settings.metricsToken);
          } finally {
            active.decrementAndGet();
          }
          return true;
        }
        // The body is read as it arrives, without a thread; answering it takes one.
        RequestBody.read(request, settings.maxRequestBytes, body -> {
          try {
            if (body.failure() == null) {
              call.awaitingUpstream();
            }
            pool.execute(() -> {
              try {
                route(call, chat, passThrough, body, metrics, embedding ? embed : null,
                    settings.metricsToken);
              } finally {
                active.decrementAndGet();
              }
            });
          } catch (RuntimeException stopping) {
            active.decrementAndGet();
            call.abort(stopping);
          }
        });
        return true;
      }
    });
    try {
      jetty.start();
    } catch (Exception e) {
      try {
        jetty.stop();
      } catch (Exception ignored) {
        // Already failing; the bind error below is the one to report.
      }
      throw new IOException("Cannot listen on " + settings.host + ":" + settings.port + ": "
          + e.getMessage() + (settings.port != 0 ? " (is another program using the port?"
          + " choose another with --port)" : ""), e);
    }
    server = jetty;
    connector = socket;
    return this;
  }

  private static boolean isEmbeddings(HttpCall call) {
    return call.method().equalsIgnoreCase("POST")
        && EmbeddingsHandler.PATH.equals(call.path());
  }

  private static boolean isChat(HttpCall call) {
    return call.method().equalsIgnoreCase("POST") && CHAT_COMPLETIONS.equals(call.path());
  }

  /**
   * @param body the read body of a chat request, null for every other request (its body is
   *     streamed to the upstream)
   */
  /**
   * @param embed the embeddings handler when {@code body} is an embeddings request's, else null
   * @param metricsToken the bearer token {@code /metrics} asks for, or null for none
   */
  private static void route(HttpCall call, ChatHandler chat, PassThrough passThrough,
      RequestBody.Result body, ProxyMetrics metrics, EmbeddingsHandler embed,
      String metricsToken) {
    try {
      if (embed != null) {
        embed.handle(call, body);
      } else if (body != null) {
        chat.handle(call, body);
      } else if (call.method().equalsIgnoreCase("GET") && METRICS.equals(call.path())) {
        if (!metricsAllowed(call, metricsToken)) {
          call.setHeader("WWW-Authenticate", "Bearer realm=\"cachet-metrics\"");
          Responses.error(call, 401, "/metrics needs the token the proxy was started with"
              + " (metricsToken / --metrics-token), sent as 'Authorization: Bearer <token>'",
              ErrorBodies.INVALID_REQUEST, "metrics_unauthorized");
          return;
        }
        Responses.send(call, 200, "text/plain; version=0.0.4; charset=utf-8", CacheStatus.MISS,
            metrics.prometheus().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } else if (call.method().equalsIgnoreCase("DELETE") && call.path() != null
          && call.path().startsWith(ChatHandler.ENTRIES_PATH)) {
        chat.delete(call);
      } else if (ChatHandler.isFeedback(call)) {
        chat.feedback(call);
      } else if (call.method().equalsIgnoreCase("CONNECT")) {
        // A client configured to use the proxy as a forward (HTTPS) proxy, not as its base URL.
        call.setHeader("Allow", ALLOWED_METHODS);
        Responses.error(call, 405, "The caching proxy is not a forward proxy and does not"
            + " support CONNECT: set your client's base URL to " + "http://<host>:<port>/v1"
            + " instead of an HTTP(S) proxy", ErrorBodies.INVALID_REQUEST,
            "method_not_supported");
      } else if (call.method().equalsIgnoreCase("OPTIONS")
          && (call.path() == null || call.path().equals("*") || call.path().isEmpty())) {
        // OPTIONS * asks about the server itself; the upstream has no such path.
        call.setHeader("Allow", ALLOWED_METHODS);
        call.send(204, new byte[0]);
      } else {
        passThrough.handle(call);
      }
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      // The request itself, which may hold a prompt, is never logged; only where it failed.
      LOG.log(e instanceof IOException ? Level.FINE : Level.WARNING,
          "Request " + call.method() + " " + call.path() + " failed", e);
      if (!call.isDone() && !call.isCommitted()) {
        try {
          if (e instanceof OutOfMemoryError) {
            Responses.error(call, 503, "The caching proxy ran out of memory answering this"
                + " request; retry, or lower maxRequestBytes / give the proxy more heap",
                "server_error", "out_of_memory");
          } else {
            Responses.error(call, 500, "The caching proxy failed: "
                + e.getClass().getSimpleName(), "server_error", null);
          }
          return;
        } catch (IOException | RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      call.abort(e);
    } finally {
      if (!call.isDone()) {
        call.abort(new IllegalStateException("the proxy left a request unanswered"));
      }
    }
  }

  /** Whether the request may read {@code /metrics}: any request when no token is set. */
  private static boolean metricsAllowed(HttpCall call, String token) {
    if (token == null) {
      return true;
    }
    String given = call.header("Authorization");
    String expected = "Bearer " + token;
    // Compared in constant time, so the answer's timing does not leak the token byte by byte.
    return given != null && java.security.MessageDigest.isEqual(
        given.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        expected.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Consumer<ProxyEvent> safe(Consumer<ProxyEvent> listener) {
    return event -> {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "A proxy listener failed", e);
      }
    };
  }

  /**
   * The port the proxy listens on: the configured one, or the one the system chose for port 0.
   *
   * @return the port
   * @throws IllegalStateException when not started
   */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("The proxy is not started; call start() first");
    }
    return connector.getLocalPort();
  }

  /**
   * The base URL clients are configured with, such as {@code http://127.0.0.1:8787/v1}.
   *
   * @return the URL of the proxy's {@code /v1}
   */
  public URI baseUrl() {
    String host = settings.host.contains(":") ? "[" + settings.host + "]" : settings.host;
    return URI.create("http://" + host + ":" + port() + "/v1");
  }

  /**
   * The upstream this proxy forwards to.
   *
   * @return the URL given to the builder
   */
  public URI upstream() {
    return settings.upstream;
  }

  /**
   * The proxy's counters in Prometheus text, as {@code GET /metrics} serves them: requests by
   * {@code X-Cache} status, and hits, prompt and completion tokens and cost saved per tenant
   * (a prefix of its credentials' hash) and model.
   *
   * @return the exposition text
   * @throws IllegalStateException when not started
   */
  public String metricsText() {
    ProxyMetrics m = metrics;
    if (m == null) {
      throw new IllegalStateException("The proxy is not started; call start() first");
    }
    return m.prometheus();
  }

  /**
   * The upstream URL as it may be printed or logged: any {@code user:password@} replaced by
   * {@code ***@}.
   *
   * @return the upstream URL without its user information
   */
  public String shownUpstream() {
    return Redaction.uri(settings.upstream);
  }

  /**
   * Stops answering: requests in progress get up to one second to finish, then the port
   * closes and unfinished answers are cut off.
   */
  @Override
  public synchronized void close() {
    if (server != null) {
      // Jetty's graceful stop needs a statistics handler; our own count of requests in
      // progress gives them their second and lets an idle proxy close at once.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (active.get() > 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      try {
        server.stop();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "The proxy did not stop cleanly", e);
      }
      server = null;
    }
    if (ownCachet != null) {
      ownCachet.close();
    }
  }

  /**
   * The settings of a {@link CachingProxy}. Immutable: every method returns a new builder, so
   * one can serve as a template for several proxies.
   */
  public static final class Builder {
    private final URI upstream;
    private String host = "127.0.0.1";
    private int port = 8787;
    private String tenantHeader;
    private Cachet cachet;
    private LlmCache llmCache;
    private ProxyCache proxyCache;
    private Boolean semantic;
    private double semanticMaxError = Double.NaN;
    private Boolean serveSampled;
    private int maxRequestBytes = 4 << 20;
    private int threads = 64;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration upstreamTimeout = Duration.ofMinutes(10);
    private Duration upstreamIdleTimeout = Duration.ofMinutes(2);
    private Duration streamTimeout = Duration.ofMinutes(30);
    private Duration clientIdleTimeout = Duration.ofSeconds(30);
    private int maxResponseBytes = 16 << 20;
    private Duration keyCheckInterval;
    private String metricsToken;
    private Map<String, Price> prices = Map.of();
    private Consumer<ProxyEvent> listener = event -> { };

    private Builder(URI upstream) {
      Objects.requireNonNull(upstream, "upstream");
      String scheme = upstream.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)
          || upstream.getHost() == null) {
        throw new IllegalArgumentException("The upstream must be an http or https URL such as"
            + " https://api.openai.com, got '" + Redaction.uri(upstream) + "'");
      }
      if (upstream.getRawQuery() != null || upstream.getRawFragment() != null) {
        throw new IllegalArgumentException("The upstream URL must not have a query or fragment,"
            + " got '" + Redaction.uri(upstream) + "'");
      }
      this.upstream = upstream;
    }

    private Builder copy() {
      Builder b = new Builder(upstream);
      b.host = host;
      b.port = port;
      b.tenantHeader = tenantHeader;
      b.cachet = cachet;
      b.llmCache = llmCache;
      b.proxyCache = proxyCache;
      b.semantic = semantic;
      b.semanticMaxError = semanticMaxError;
      b.serveSampled = serveSampled;
      b.maxRequestBytes = maxRequestBytes;
      b.threads = threads;
      b.connectTimeout = connectTimeout;
      b.upstreamTimeout = upstreamTimeout;
      b.upstreamIdleTimeout = upstreamIdleTimeout;
      b.streamTimeout = streamTimeout;
      b.clientIdleTimeout = clientIdleTimeout;
      b.maxResponseBytes = maxResponseBytes;
      b.keyCheckInterval = keyCheckInterval;
      b.metricsToken = metricsToken;
      b.prices = prices;
      b.listener = listener;
      return b;
    }

    /**
     * The address to listen on. The default, 127.0.0.1, serves this machine only; use
     * {@code 0.0.0.0} to serve others (the proxy does no authentication of its own).
     *
     * @param host a host name or IP address of this machine
     * @return a new builder
     */
    public Builder host(String host) {
      Builder b = copy();
      b.host = Objects.requireNonNull(host, "host");
      return b;
    }

    /**
     * The port to listen on.
     *
     * @param port 1 to 65535, or 0 for any free port (see {@link CachingProxy#port()})
     * @return a new builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("The port must be between 0 and 65535, got " + port);
      }
      Builder b = copy();
      b.port = port;
      return b;
    }

    /**
     * A request header that narrows a tenant, set by a gateway in front of the proxy (a team,
     * a user). The tenant is always the SHA-256 of the request's credentials (every API-key
     * header and query parameter); a request carrying this header gets a partition of its own
     * inside its credentials' one, so the header can never open another key's entries.
     *
     * @param name a header name, such as {@code X-Tenant}, or null for none
     * @return a new builder
     */
    public Builder tenantHeader(String name) {
      Builder b = copy();
      b.tenantHeader = name == null || name.isBlank() ? null : name.strip();
      return b;
    }

    /**
     * The Cachet whose memory and tiers (disk, Redis) keep the answers, in an
     * {@link LlmCache} the proxy builds. Without this or {@link #cache(LlmCache)}, answers are
     * kept in memory only.
     *
     * @param cachet the cache; the proxy does not close it
     * @return a new builder
     */
    public Builder cachet(Cachet cachet) {
      Builder b = copy();
      b.cachet = Objects.requireNonNull(cachet, "cachet");
      return b;
    }

    /**
     * The LLM cache to use, with its own policy (similarity threshold, time to live, sampled
     * requests). Takes precedence over {@link #cachet(Cachet)}.
     *
     * @param cache the cache; it may be shared with in-process callers
     * @return a new builder
     */
    public Builder cache(LlmCache cache) {
      Builder b = copy();
      b.llmCache = Objects.requireNonNull(cache, "cache");
      return b;
    }

    /**
     * Whether a request may be answered with the stored answer of a paraphrase (same
     * conversation before the last user message, same model and parameters, a last user
     * message of the same meaning). By default: off when the proxy builds its cache, the
     * cache's own setting when given one with {@link #cache(LlmCache)}. When the proxy builds
     * its cache, semantic hits use the bundled embedding model, which is in the artifact
     * {@code cachet-llm-semantic}: without it on the class path, {@code build()} fails with an
     * {@link IllegalStateException} that says so (a cache given with {@link #cache(LlmCache)}
     * may use any embedder).
     *
     * @param semantic true to enable semantic hits (loads the bundled embedding model)
     * @return a new builder
     */
    public Builder semantic(boolean semantic) {
      Builder b = copy();
      b.semantic = semantic;
      return b;
    }

    /**
     * Semantic hits in error-bounded mode ({@link LlmCache.Builder#errorBound(double)}), for
     * the cache the proxy builds (with {@link #semantic(boolean)}): each partition learns the
     * score its hits need so that at most this share of them is wrong, from the fresh answers
     * of near-misses and from clients' feedback ({@code POST /v1/cachet/entries/<id>/correct}
     * or {@code .../wrong}, with the id of a hit's {@code X-Cache-Entry-Id} header).
     *
     * @param maxErrorRate the largest acceptable share of wrong semantic hits, in (0, 0.5]
     * @return a new builder
     * @throws IllegalArgumentException when the rate is out of range
     */
    public Builder semanticMaxError(double maxErrorRate) {
      if (!(maxErrorRate > 0 && maxErrorRate <= 0.5)) {
        throw new IllegalArgumentException("semanticMaxError (--semantic-max-error) is a rate in"
            + " (0, 0.5], such as 0.02, got " + maxErrorRate);
      }
      Builder b = copy();
      b.semanticMaxError = maxErrorRate;
      return b;
    }

    /**
     * Whether to serve cached answers to sampled requests (temperature above 0, or none given,
     * and no seed). Off by default, as in {@link LlmCache}: such a request asks for a fresh
     * draw, so it is forwarded (and its answer stored for deterministic requests to reuse).
     * Turn it on when every client only wants "an" answer, as in development and tests.
     *
     * @param serve true to serve them from the cache
     * @return a new builder
     */
    public Builder serveSampled(boolean serve) {
      Builder b = copy();
      b.serveSampled = serve;
      return b;
    }

    /**
     * The largest request body accepted on the chat path; larger ones get 413.
     *
     * @param bytes at least 1 KiB
     * @return a new builder
     */
    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("The request limit must be at least 1024 bytes, got "
            + bytes);
      }
      Builder b = copy();
      b.maxRequestBytes = bytes;
      return b;
    }

    /**
     * How many requests are served at once; more wait their turn. Each streamed answer holds
     * one for its whole duration.
     *
     * @param threads at least 1; 64 by default
     * @return a new builder
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      Builder b = copy();
      b.threads = threads;
      return b;
    }

    /**
     * How long the upstream may take to start answering (response headers), and to send the
     * whole of an answer that is not streamed; past it the client gets a 504 (and callers
     * waiting for the same request get it too).
     *
     * @param timeout a positive duration; 10 minutes by default
     * @return a new builder
     */
    public Builder upstreamTimeout(Duration timeout) {
      Builder b = copy();
      b.upstreamTimeout = positive(timeout, "upstream timeout");
      return b;
    }

    /**
     * How long the upstream may send nothing while answering (streamed or not, and on
     * pass-through); past it the answer is cut off: a 504 when nothing was sent yet, else an
     * in-stream error event and a dropped connection.
     *
     * @param timeout a positive duration; 2 minutes by default
     * @return a new builder
     */
    public Builder upstreamIdleTimeout(Duration timeout) {
      Builder b = copy();
      b.upstreamIdleTimeout = positive(timeout, "upstream idle timeout");
      return b;
    }

    /**
     * How long a streamed answer, or a pass-through answer, may last in all, however steadily
     * the upstream writes; past it the answer is cut off with an in-stream error event (or a
     * 504 when nothing was sent yet) and is not stored. Without it an upstream writing a byte
     * now and then would hold a proxy thread forever.
     *
     * @param timeout a positive duration; 30 minutes by default
     * @return a new builder
     */
    public Builder streamTimeout(Duration timeout) {
      Builder b = copy();
      b.streamTimeout = positive(timeout, "stream timeout");
      return b;
    }

    /**
     * How long a client may send nothing while sending its request body, or read nothing
     * while the proxy writes to it; past it the request gets a 408 (or the connection is
     * closed), so stalled clients cannot hold the proxy. It also closes idle keep-alive
     * connections. Waiting for the upstream is not idleness.
     *
     * @param timeout a positive duration; 30 seconds by default
     * @return a new builder
     */
    public Builder clientIdleTimeout(Duration timeout) {
      Builder b = copy();
      b.clientIdleTimeout = positive(timeout, "client idle timeout");
      return b;
    }

    /**
     * The largest upstream answer the proxy holds in memory to store it. A larger one is
     * still passed on, uncached ({@code X-Cache: BYPASS} with
     * {@code X-Cache-Reason: response-too-large} when not streamed; a stream is passed on and
     * not stored).
     *
     * @param bytes at least 1 KiB; 16 MiB by default
     * @return a new builder
     */
    public Builder maxResponseBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("The response limit must be at least 1024 bytes,"
            + " got " + bytes);
      }
      Builder b = copy();
      b.maxResponseBytes = bytes;
      return b;
    }

    /**
     * The price of each model, for the cost hits saved (see {@link CachingProxy#metricsText()}).
     * Models without a price are counted in tokens only.
     *
     * @param prices the price by model name, as clients send it in {@code model}
     * @return a new builder
     */
    public Builder prices(Map<String, Price> prices) {
      Builder b = copy();
      b.prices = Map.copyOf(Objects.requireNonNull(prices, "prices"));
      return b;
    }

    /**
     * Checks a key with the upstream ({@code GET /v1/models} with the request's credentials)
     * before serving it a hit, at most once per interval and key. Off by default: a hit
     * never reaches the upstream, so a key the provider has revoked keeps reading the answers
     * cached for it. With a check, a key answered 401 or 403 is no longer served hits (its
     * requests go to the upstream, {@code X-Cache: BYPASS}, {@code key-rejected}) within one
     * interval of its revocation. An upstream that cannot be reached does not stop hits.
     *
     * @param interval how long an accepted key is trusted, such as 5 minutes; null for no check
     * @return a new builder
     */
    public Builder keyCheckInterval(Duration interval) {
      Builder b = copy();
      b.keyCheckInterval = interval == null ? null : positive(interval, "key check interval");
      return b;
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on {@code GET /metrics} (401 without it).
     * Off by default, as Prometheus endpoints usually are on a proxy that listens on
     * 127.0.0.1; set it when the proxy serves other machines, since the metrics show each
     * tenant's (hashed) activity and savings.
     *
     * @param token the token, at least 16 characters; null for an open endpoint
     * @return a new builder
     * @throws IllegalArgumentException when the token is shorter than 16 characters or holds
     *     whitespace
     */
    public Builder metricsToken(String token) {
      if (token != null && (token.length() < 16 || token.chars().anyMatch(
          Character::isWhitespace))) {
        throw new IllegalArgumentException("The metrics token must be at least 16 characters"
            + " without spaces (a random one: openssl rand -hex 16), got one of "
            + token.length() + " characters");
      }
      Builder b = copy();
      b.metricsToken = token;
      return b;
    }

    private static Duration positive(Duration timeout, String what) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("The " + what + " must be positive, got "
            + timeout);
      }
      return timeout;
    }

    /**
     * Called once per answered request, on the thread that answered it. The event carries no
     * key, prompt or answer.
     *
     * @param listener the listener; exceptions it throws are logged and ignored
     * @return a new builder
     */
    public Builder listener(Consumer<ProxyEvent> listener) {
      Builder b = copy();
      b.listener = Objects.requireNonNull(listener, "listener");
      return b;
    }

    /** For tests and adapters: a cache other than the library's. */
    Builder proxyCache(ProxyCache cache) {
      Builder b = copy();
      b.proxyCache = Objects.requireNonNull(cache, "cache");
      return b;
    }

    /**
     * Creates the proxy, not yet listening.
     *
     * @return the proxy; call {@link CachingProxy#start()}
     */
    public CachingProxy build() {
      return new CachingProxy(copy());
    }
  }
}
