package dev.cachet.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in upstream of {@link ProxyLoad}: answers chat completions after a short delay,
 * plain or streamed (a long stream, one word every few milliseconds), and stalls forever
 * after the headers when the prompt starts with {@code stall}, as a hung model would.
 */
final class ProxyLoadUpstream implements AutoCloseable {
  private static final int WORDS = 200;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "load-upstream");
    t.setDaemon(true);
    return t;
  });
  private final int delayMs;

  ProxyLoadUpstream(int delayMs) throws IOException {
    this.delayMs = delayMs;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.createContext("/", this::answer);
    server.setExecutor(executor);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void answer(HttpExchange exchange) throws IOException {
    String request = new String(exchange.getRequestBody().readAllBytes(),
        StandardCharsets.UTF_8);
    try {
      pause(delayMs);
      boolean stream = request.contains("\"stream\":true");
      if (request.contains("\"content\":\"stall")) {
        exchange.getResponseHeaders().set("Content-Type",
            stream ? "text/event-stream" : "application/json");
        exchange.sendResponseHeaders(200, stream ? 0 : 100);
        exchange.getResponseBody().flush();
        pause(60_000); // until the proxy gives up and closes the connection
        return;
      }
      if (stream) {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < WORDS; i++) {
          out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
              + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word" + i
              + " \"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          pause(2);
        }
        out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]"
            + "}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        out.close();
        return;
      }
      byte[] body = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"An "
          + "answer.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,"
          + "\"completion_tokens\":10,\"total_tokens\":30}}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (IOException clientGone) {
      // The proxy closed the connection (a stalled answer it gave up on, a client that left).
    } finally {
      exchange.close();
    }
  }

  private static void pause(int ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
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
