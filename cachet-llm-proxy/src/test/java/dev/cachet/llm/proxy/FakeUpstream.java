package dev.cachet.llm.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for an OpenAI-compatible server, on loopback: it answers every chat completion
 * with {@code "You asked: <last user message>"} after a set delay, streamed or not, counts the
 * calls, and can be told to fail in the ways real upstreams do.
 */
final class FakeUpstream implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server leaves Nagle's algorithm on unless told otherwise (read once, when its
    // first server starts): every answer would wait ~40 ms for the client's delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** How the next chat completions are answered. */
  enum Mode {
    /** A normal answer. */
    OK,
    /** 500 with an OpenAI-style server error. */
    ERROR_500,
    /** 429 with a Retry-After header. */
    ERROR_429,
    /** 400 with an OpenAI-style invalid request error. */
    ERROR_400,
    /** A stream that stops after two content chunks, without a finish reason or [DONE]. */
    CUT_STREAM,
    /** A stream whose connection is dropped mid-answer (the chunked body never ends). */
    ABORT_STREAM,
    /** A plain answer whose body stops after its first bytes until {@link #gate} opens. */
    STALL_BODY,
    /** A plain answer sent one byte every {@link #chunkDelay}. */
    DRIBBLE
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-upstream");
    t.setDaemon(true);
    return t;
  });
  final AtomicInteger chatCalls = new AtomicInteger();
  final AtomicInteger otherCalls = new AtomicInteger();
  final AtomicInteger embeddingCalls = new AtomicInteger();
  volatile Duration delay = Duration.ofMillis(50);
  volatile Duration chunkDelay = Duration.ofMillis(5);
  volatile Mode mode = Mode.OK;
  /** When set, a stream waits on it after its first content chunk. */
  volatile CountDownLatch gate;
  /** Counted down when a streamed answer has been completely written. */
  volatile CountDownLatch streamFinished = new CountDownLatch(1);
  /** Counted down when writing a stream failed because the proxy closed the connection. */
  final CountDownLatch streamBroken = new CountDownLatch(1);
  volatile String lastAuthorization;
  /** Authorization values the fake answers 401 (on its models list, as a key check). */
  final java.util.Set<String> revokedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The headers of the last request to a path other than the chat completions. */
  volatile com.sun.net.httpserver.Headers lastHeaders;
  volatile String lastAcceptEncoding;

  FakeUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The answer the fake gives to a prompt. */
  static String answerTo(String prompt) {
    return "You asked: " + prompt;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v1/chat/completions") && exchange.getRequestMethod().equals("POST")) {
        chat(exchange);
      } else if (path.equals("/v1/embeddings") && exchange.getRequestMethod().equals("POST")) {
        embeddingCalls.incrementAndGet();
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String input = request.path("input").asText();
        send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\","
            + "\"index\":0,\"embedding\":[" + input.length() + ".0,0.5]}],\"model\":\""
            + request.path("model").asText() + "\",\"usage\":{\"prompt_tokens\":3,"
            + "\"total_tokens\":3}}");
      } else if (path.equals("/v1/models") && exchange.getRequestMethod().equals("GET")) {
        otherCalls.incrementAndGet();
        lastHeaders = exchange.getRequestHeaders();
        String key = exchange.getRequestHeaders().getFirst("Authorization");
        if (key != null && revokedKeys.contains(key)) {
          send(exchange, 401, error("Incorrect API key provided.", "invalid_request_error"));
          exchange.close();
          return;
        }
        send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"fake-model\","
            + "\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"cachet-tests\"}]}");
      } else {
        otherCalls.incrementAndGet();
        lastHeaders = exchange.getRequestHeaders();
        exchange.getResponseHeaders().set("X-Fake", "not-found");
        send(exchange, 404, "{\"error\":{\"message\":\"Unknown path " + path
            + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
      }
    } catch (Aborted e) {
      // Not closed: the server drops the connection mid-body, as a crashed upstream would.
      throw e;
    }
    exchange.close();
  }

  private static final class Aborted extends IOException {
    private static final long serialVersionUID = 1L;

    Aborted() {
      super("fake upstream drops the connection mid-stream");
    }
  }

  private void chat(HttpExchange exchange) throws IOException {
    chatCalls.incrementAndGet();
    lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
    lastAcceptEncoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    if (lastAuthorization != null && revokedKeys.contains(lastAuthorization)) {
      exchange.getRequestBody().readAllBytes();
      send(exchange, 401, error("Incorrect API key provided.", "invalid_request_error"));
      return;
    }
    JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    sleep(delay);
    Mode now = mode;
    switch (now) {
      case ERROR_500 -> {
        send(exchange, 500, error("The server had an error while processing your request.",
            "server_error"));
        return;
      }
      case ERROR_429 -> {
        exchange.getResponseHeaders().set("Retry-After", "7");
        send(exchange, 429, error("Rate limit reached for requests.", "requests"));
        return;
      }
      case ERROR_400 -> {
        send(exchange, 400, error("Upstream says: this model does not exist.",
            "invalid_request_error"));
        return;
      }
      default -> {
      }
    }
    JsonNode messages = request.path("messages");
    String prompt = messages.path(messages.size() - 1).path("content").asText();
    String model = request.path("model").asText("fake-model");
    String answer = answerTo(prompt);
    if (request.path("stream").asBoolean(false)) {
      stream(exchange, model, answer, now,
          request.path("stream_options").path("include_usage").asBoolean(false));
    } else {
      ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-fake-" + chatCalls.get())
          .put("object", "chat.completion").put("created", 1_700_000_000L).put("model", model);
      ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", answer);
      choice.put("finish_reason", "stop");
      body.putObject("usage").put("prompt_tokens", 9).put("completion_tokens", 12)
          .put("total_tokens", 21);
      if (now == Mode.STALL_BODY || now == Mode.DRIBBLE) {
        slowly(exchange, body.toString().getBytes(StandardCharsets.UTF_8), now);
        return;
      }
      send(exchange, 200, body.toString());
    }
  }

  private void slowly(HttpExchange exchange, byte[] body, Mode now) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    OutputStream out = exchange.getResponseBody();
    try {
      for (int i = 0; i < body.length; i++) {
        out.write(body[i]);
        out.flush();
        if (now == Mode.DRIBBLE) {
          sleep(chunkDelay);
        } else if (i == 4) {
          CountDownLatch g = gate;
          if (g != null) {
            g.await(30, TimeUnit.SECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      streamBroken.countDown();
    }
  }

  private void stream(HttpExchange exchange, String model, String answer, Mode now,
      boolean includeUsage) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    String id = "chatcmpl-fake-" + chatCalls.get();
    event(out, chunk(id, model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
    try {
      streamWords(out, id, model, answer, now, includeUsage);
    } catch (Aborted e) {
      throw e;
    } catch (IOException e) {
      // The proxy closed the connection: it stopped reading this stream.
      streamBroken.countDown();
    }
  }

  private void streamWords(OutputStream out, String id, String model, String answer, Mode now,
      boolean includeUsage) throws IOException {
    String[] words = answer.split("(?<= )");
    for (int i = 0; i < words.length; i++) {
      event(out, chunk(id, model, JSON.createObjectNode().put("content", words[i]).toString(),
          null));
      if (i == 0 && gate != null) {
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (i == 1 && now == Mode.CUT_STREAM) {
        out.close();
        streamFinished.countDown();
        return;
      }
      if (i == 1 && now == Mode.ABORT_STREAM) {
        // Leaving the handler by an exception makes the JDK server drop the connection
        // without ending the chunked body.
        streamFinished.countDown();
        throw new Aborted();
      }
      sleep(chunkDelay);
    }
    event(out, chunk(id, model, "{}", "stop"));
    if (includeUsage) {
      event(out, "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":"
          + "1700000000,\"model\":\"" + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
          + "9,\"completion_tokens\":12,\"total_tokens\":21}}");
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.close();
    streamFinished.countDown();
  }

  private static String chunk(String id, String model, String delta, String finishReason) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"")
        + "}]}";
  }

  private static void event(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static String error(String message, String type) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type
        + "\",\"param\":null,\"code\":null}}";
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
