package dev.cachet.cli;

import dev.cachet.Cachet;
import dev.cachet.llm.proxy.CacheStatus;
import dev.cachet.llm.proxy.CachingProxy;
import dev.cachet.llm.proxy.Price;
import dev.cachet.llm.proxy.ProxyEvent;
import dev.cachet.tier.StoreProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cachet serve}: an OpenAI-compatible caching proxy. Programs in any language use it by
 * pointing their OpenAI base URL at it.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
        "Serves an OpenAI-compatible caching proxy: POST /v1/chat/completions (streamed or not)"
            + " is answered from the cache when it can be, every other path is passed through."
            + " Every answer carries X-Cache: HIT, SEMANTIC-HIT or MISS.",
        "Point a client at it with base URL http://127.0.0.1:PORT/v1 and its usual API key:"
            + " answers are kept per API key, however it is sent (Authorization, api-key,"
            + " x-api-key, x-goog-api-key, ?key=; only a SHA-256 of them is used)."},
    footer = {"", "Example:",
        "  cachet serve --upstream https://api.openai.com --port 8787 --disk .cachet --semantic",
        "  OPENAI_BASE_URL=http://127.0.0.1:8787/v1 python my_app.py"})
public final class ServeCommand implements Callable<Integer> {
  /** Tests receive the started proxy and a way to stop it; null in real runs. */
  static volatile BiConsumer<CachingProxy, Runnable> onStarted;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Spec
  CommandSpec spec;

  @Option(names = "--upstream", required = true, paramLabel = "URL",
      description = "The OpenAI-compatible server to forward to, such as"
          + " https://api.openai.com or http://127.0.0.1:11434 (a trailing /v1 is fine).")
  URI upstream;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8787",
      description = "The port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "The address to listen on. Default: ${DEFAULT-VALUE} (this machine only);"
          + " 0.0.0.0 serves the network, with no authentication of its own.")
  String host;

  @Option(names = "--disk", paramLabel = "DIR",
      description = "Keep answers in a disk store in DIR too: they survive restarts and are"
          + " shared by every process using DIR.")
  Path disk;

  @Option(names = "--redis", paramLabel = "URI",
      description = "Keep answers in Redis too (redis://host:6379), shared by a fleet of"
          + " proxies. Needs the cachet-redis module in this build.")
  String redis;

  @Option(names = "--semantic",
      description = "Also answer paraphrases of stored prompts (same conversation, model and"
          + " parameters), using a local embedding model; a guard rejects near-misses such as"
          + " another number.")
  boolean semantic;

  @Option(names = "--semantic-max-error", paramLabel = "RATE",
      description = "With --semantic: error-bounded semantic hits. Each conversation prefix"
          + " learns how similar a paraphrase must be so that at most RATE (such as 0.02) of"
          + " its semantic hits are wrong, from the fresh answers of near-misses and from"
          + " POST /v1/cachet/entries/<id>/correct or /wrong; it serves none until it has the"
          + " evidence.")
  Double semanticMaxError;

  @Option(names = "--tenant-header", paramLabel = "NAME",
      description = "A request header (set by your gateway) that splits an API key's answers"
          + " further, per team or user. It only narrows: a request still reads only the"
          + " answers of its own key.")
  String tenantHeader;

  @Option(names = "--serve-sampled",
      description = "Serve cached answers to sampled requests too (temperature above 0 or"
          + " unset, no seed). By default they are forwarded every time, since they ask for a"
          + " fresh draw; their answers are still stored.")
  boolean serveSampled;

  @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "4194304",
      description = "The largest chat request accepted; larger ones get 413."
          + " Default: ${DEFAULT-VALUE}.")
  int maxRequestBytes;

  @Option(names = "--max-response-bytes", paramLabel = "N", defaultValue = "16777216",
      description = "The largest upstream answer held in memory to be stored; larger ones are"
          + " passed on uncached. Default: ${DEFAULT-VALUE}.")
  int maxResponseBytes;

  @Option(names = "--upstream-timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "The longest wait for the upstream to start answering, and for a whole"
          + " answer that is not streamed (then 504). Default: ${DEFAULT-VALUE}.")
  long upstreamTimeoutSeconds;

  @Option(names = "--upstream-idle-timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "The longest the upstream may send nothing mid-answer (streamed or not)"
          + " before the answer is cut off. Default: ${DEFAULT-VALUE}.")
  long upstreamIdleTimeoutSeconds;

  @Option(names = "--stream-timeout", paramLabel = "SECONDS", defaultValue = "1800",
      description = "The longest a streamed or passed-through answer may last in all, however"
          + " steadily the upstream writes; then it is cut off and not stored."
          + " Default: ${DEFAULT-VALUE}.")
  long streamTimeoutSeconds;

  @Option(names = "--client-idle-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "The longest a client may pause while sending its request, or while"
          + " reading the answer (then 408 or a closed connection). Default: ${DEFAULT-VALUE}.")
  long clientIdleTimeoutSeconds;

  @Option(names = "--key-check-interval", paramLabel = "SECONDS", defaultValue = "0",
      description = "Before serving a hit, check the request's API key with the upstream"
          + " (GET /v1/models) at most once per this many seconds per key, so revoked keys stop"
          + " getting hits. 0 (the default) never checks: a revoked key keeps its cached"
          + " answers.")
  long keyCheckIntervalSeconds;

  @Option(names = "--metrics-token", paramLabel = "TOKEN",
      description = "Require 'Authorization: Bearer TOKEN' on GET /metrics (at least 16"
          + " characters). Default: the environment variable CACHET_METRICS_TOKEN if set,"
          + " else /metrics is open (fine on 127.0.0.1).")
  String metricsToken;

  @Option(names = "--price", paramLabel = "MODEL=IN,OUT",
      description = "The price of a model in US dollars per million prompt (IN) and completion"
          + " (OUT) tokens, for the savings at /metrics; repeat for each model, such as"
          + " --price gpt-4o-mini=0.15,0.60.")
  List<String> prices = new ArrayList<>();

  @Option(names = {"-q", "--quiet"}, description = "Do not print a line per request.")
  boolean quiet;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (redis != null && !redisAvailable()) {
      throw new UserError("--redis needs the cachet-redis module, which this build of cachet"
          + " does not include. Use --disk to keep answers across restarts.", null);
    }
    CachingProxy.Builder builder;
    try {
      builder = CachingProxy.builder(upstream).port(port).host(host)
          .maxRequestBytes(maxRequestBytes).maxResponseBytes(maxResponseBytes)
          .upstreamTimeout(Duration.ofSeconds(upstreamTimeoutSeconds))
          .upstreamIdleTimeout(Duration.ofSeconds(upstreamIdleTimeoutSeconds))
          .streamTimeout(Duration.ofSeconds(streamTimeoutSeconds))
          .clientIdleTimeout(Duration.ofSeconds(clientIdleTimeoutSeconds))
          .keyCheckInterval(keyCheckIntervalSeconds > 0
              ? Duration.ofSeconds(keyCheckIntervalSeconds) : null)
          .tenantHeader(tenantHeader).semantic(semantic)
          .metricsToken(metricsToken != null ? metricsToken
              : System.getenv("CACHET_METRICS_TOKEN"));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (serveSampled) {
      builder = builder.serveSampled(true);
    }
    if (semanticMaxError != null) {
      if (!semantic) {
        throw new UserError("--semantic-max-error bounds semantic hits: add --semantic", null);
      }
      try {
        builder = builder.semanticMaxError(semanticMaxError);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), e);
      }
    }
    builder = builder.prices(parsePrices(prices));
    if (!quiet) {
      builder = builder.listener(event -> log(out, event));
    }
    Cachet cachet = openCachet();
    CachingProxy proxy = null;
    boolean closedByHook = false;
    try {
      if (semantic) {
        out.println("Loading the local embedding model for semantic matching...");
        out.flush();
      }
      proxy = builder.cachet(cachet).build().start();
      // Shown without any user:password@ of the URL: this line ends up in terminals and logs.
      out.printf("Cachet proxy listening on %s, forwarding to %s%n", proxy.baseUrl(),
          proxy.shownUpstream());
      out.printf("Caching: exact%s, in memory%s%s. Stop with Ctrl-C.%n",
          !semantic ? "" : semanticMaxError == null ? " and semantic"
              : " and semantic (at most " + semanticMaxError + " of semantic hits wrong)",
          disk != null ? ", on disk at " + disk : "",
          redis != null ? ", in Redis" : "");
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      BiConsumer<CachingProxy, Runnable> test = onStarted;
      if (test != null) {
        test.accept(proxy, stopped::countDown);
      } else {
        // Ctrl-C: answers in progress get a moment, then the tiers are closed cleanly.
        CachingProxy running = proxy;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          running.close();
          cachet.close();
          stopped.countDown();
        }, "cachet-serve-shutdown"));
        closedByHook = true;
      }
      stopped.await();
      return CommandLine.ExitCode.OK;
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new UserError(e.getMessage(), e);
    } finally {
      if (!closedByHook) {
        if (proxy != null) {
          proxy.close();
        }
        cachet.close();
      }
    }
  }

  /** Reads {@code MODEL=IN,OUT} prices; a malformed one is a user error that says the form. */
  static Map<String, Price> parsePrices(List<String> given) {
    Map<String, Price> table = new LinkedHashMap<>();
    for (String price : given) {
      int eq = price.lastIndexOf('=');
      String[] amounts = eq < 0 ? new String[0] : price.substring(eq + 1).split(",");
      try {
        if (eq <= 0 || amounts.length != 2) {
          throw new IllegalArgumentException("expected MODEL=IN,OUT");
        }
        table.put(price.substring(0, eq).strip(), new Price(
            Double.parseDouble(amounts[0].strip()), Double.parseDouble(amounts[1].strip())));
      } catch (IllegalArgumentException e) {
        throw new UserError("--price '" + price + "' is not MODEL=IN,OUT (US dollars per"
            + " million prompt and completion tokens, such as gpt-4o-mini=0.15,0.60): "
            + e.getMessage(), e);
      }
    }
    return table;
  }

  private Cachet openCachet() {
    Cachet.Builder b = Cachet.builder();
    if (disk != null) {
      b = b.disk(disk);
    }
    if (redis != null) {
      b = b.redis(redis);
    }
    try {
      return b.build();
    } catch (RuntimeException e) {
      throw new UserError("Cannot open the cache: " + e.getMessage(), e);
    }
  }

  /** Whether a Redis store provider (the cachet-redis module) is on the class path. */
  static boolean redisAvailable() {
    for (StoreProvider<?> provider : ServiceLoader.load(StoreProvider.class)) {
      // By name: referring to RedisTier itself would fail without the module.
      if (provider.configType().getName().equals("dev.cachet.redis.RedisTier")) {
        return true;
      }
    }
    return false;
  }

  private static void log(PrintWriter out, ProxyEvent event) {
    String similarity = Double.isNaN(event.similarity()) ? ""
        : String.format(Locale.ROOT, " similarity %.3f", event.similarity());
    String note = event.note().isEmpty() ? "" : "  (" + event.note() + ")";
    synchronized (out) {
      out.printf(Locale.ROOT, "%s  %-12s %3d  %-4s %s%s  %.1f ms%s%s%n",
          LocalTime.now().format(TIME), event.status().headerValue(), event.httpStatus(),
          event.method(), event.path(), event.streamed() ? " (stream)" : "",
          event.nanos() / 1e6, similarity,
          event.status() == CacheStatus.MISS || event.status() == CacheStatus.BYPASS ? note : "");
      out.flush();
    }
  }
}
