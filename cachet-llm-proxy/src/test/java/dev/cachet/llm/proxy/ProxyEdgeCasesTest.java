package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The smaller ways real clients and odd input met the proxy: hop-by-hop headers named in
 * {@code Connection}, server-wide {@code OPTIONS *} and {@code CONNECT}, numbers beyond a
 * double, non-string names, several text parts, and keys the upstream has revoked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyEdgeCasesTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private final Logger logger = Logger.getLogger("org.eclipse.jetty");
  private final Logger proxyLogger = Logger.getLogger("dev.cachet");
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private FakeUpstream upstream;
  private Cachet cachet;
  private CachingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    upstream = new FakeUpstream();
    cachet = Cachet.create();
    proxy = CachingProxy.builder(upstream.uri()).port(0).cachet(cachet).build().start();
    logger.addHandler(capture);
    proxyLogger.addHandler(capture);
  }

  @AfterEach
  void stop() {
    logger.removeHandler(capture);
    proxyLogger.removeHandler(capture);
    proxy.close();
    upstream.close();
    cachet.close();
  }

  private HttpResponse<String> post(String key, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String chat(String extraFields, String messages) {
    return "{\"model\":\"gpt-4o-mini\",\"temperature\":0" + extraFields + ",\"messages\":"
        + messages + "}";
  }

  private static String xCache(HttpResponse<String> response) {
    return response.headers().firstValue(CacheStatus.HEADER).orElse("")
        + response.headers().firstValue(CacheStatus.REASON_HEADER).map(r -> " " + r).orElse("");
  }

  /** Sends raw request bytes and reads one whole answer (headers and Content-Length body). */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int n;
      while (!complete(answer.toString(StandardCharsets.ISO_8859_1))
          && (n = in.read(buffer)) != -1) {
        answer.write(buffer, 0, n);
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static boolean complete(String answer) {
    int end = answer.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    int length = 0;
    for (String line : answer.substring(0, end).split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    return answer.length() >= end + 4 + length;
  }

  @Test
  void headersNamedInConnectionAreNotForwarded() throws Exception {
    String answer = raw("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close, X-Hop-Secret\r\nX-Hop-Secret: for the proxy only\r\n"
        + "X-Kept: end to end\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(upstream.lastHeaders.getFirst("X-Kept")).isEqualTo("end to end");
    assertThat(upstream.lastHeaders.containsKey("X-Hop-Secret")).isFalse();
  }

  @Test
  void optionsStarAndConnectGetCleanAnswersWithoutStackTraces() throws Exception {
    String options = raw("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    String connect = raw("CONNECT api.openai.com:443 HTTP/1.1\r\nHost: api.openai.com:443\r\n"
        + "Connection: close\r\n\r\n");

    assertThat(options).startsWith("HTTP/1.1 204").containsIgnoringCase("Allow: GET");
    assertThat(connect).startsWith("HTTP/1.1 405").contains("\"type\":\"invalid_request_error\"")
        .contains("not a forward proxy");
    assertThat(upstream.otherCalls).as("neither reaches the upstream").hasValue(0);
    assertThat(logged).noneMatch(r -> r.getThrown() != null
        && r.getLevel().intValue() >= Level.INFO.intValue());
  }

  @Test
  void errorsJettyAnswersItselfAreTheProxysJsonToo() throws Exception {
    String badHeader = raw("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
        + "x".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n");
    String badVersion = raw("GET /v1/models HTTP/7.5\r\nHost: 127.0.0.1\r\n\r\n");

    assertThat(badHeader).startsWith("HTTP/1.1 431").contains("application/json")
        .contains("\"error\":{\"message\":\"The caching proxy could not handle the request");
    assertThat(badVersion).startsWith("HTTP/1.1 505").contains("application/json")
        .doesNotContain("<html");
  }

  @Test
  void numbersBeyondADoubleNeverShareAKeyWithNull() throws Exception {
    String messages = "[{\"role\":\"user\",\"content\":\"penalties\"}]";
    HttpResponse<String> plain = post("k", chat(",\"frequency_penalty\":null", messages));
    HttpResponse<String> huge = post("k", chat(",\"frequency_penalty\":1e999", messages));
    HttpResponse<String> negative = post("k", chat(",\"frequency_penalty\":-1e999", messages));

    assertThat(xCache(plain)).isEqualTo("MISS");
    assertThat(xCache(huge)).isEqualTo("BYPASS non-finite-number");
    assertThat(xCache(negative)).isEqualTo("BYPASS non-finite-number");
  }

  @Test
  void aNonStringNameNeverSharesAKeyWithItsText() throws Exception {
    String asString = "[{\"role\":\"user\",\"name\":\"5\",\"content\":\"who am I?\"}]";
    String asNumber = "[{\"role\":\"user\",\"name\":5,\"content\":\"who am I?\"}]";
    String asObject = "[{\"role\":\"user\",\"name\":{},\"content\":\"who am I?\"}]";
    String unnamed = "[{\"role\":\"user\",\"name\":\"\",\"content\":\"who am I?\"}]";

    assertThat(xCache(post("k", chat("", asString)))).isEqualTo("MISS");
    assertThat(xCache(post("k", chat("", unnamed)))).isEqualTo("MISS");
    assertThat(xCache(post("k", chat("", asNumber)))).isEqualTo("BYPASS unsupported");
    assertThat(xCache(post("k", chat("", asObject)))).isEqualTo("BYPASS unsupported");
    assertThat(xCache(post("k", chat("", asString)))).isEqualTo("HIT");
  }

  @Test
  void severalTextPartsNeverShareAKeyWithTheirNewlineJoinedText() throws Exception {
    String joined = "[{\"role\":\"user\",\"content\":\"first\\nsecond\"}]";
    String parts = "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"first\"},"
        + "{\"type\":\"text\",\"text\":\"second\"}]}]";

    assertThat(xCache(post("k", chat("", joined)))).isEqualTo("MISS");
    assertThat(xCache(post("k", chat("", parts)))).isEqualTo("BYPASS unsupported");
  }

  @Test
  void withAKeyCheckARevokedKeyStopsGettingHits() throws Exception {
    proxy.close();
    proxy = CachingProxy.builder(upstream.uri()).port(0).cachet(cachet)
        .keyCheckInterval(Duration.ofNanos(1)).build().start();
    String body = chat("", "[{\"role\":\"user\",\"content\":\"still mine?\"}]");
    assertThat(xCache(post("good", body))).isEqualTo("MISS");
    assertThat(xCache(post("good", body))).isEqualTo("HIT");

    upstream.revokedKeys.add("Bearer good");
    HttpResponse<String> afterRevocation = post("good", body);

    assertThat(afterRevocation.statusCode()).isEqualTo(401);
    assertThat(xCache(afterRevocation)).isEqualTo("BYPASS key-rejected");
    assertThat(afterRevocation.body()).contains("Incorrect API key");
  }

  @Test
  void withoutAKeyCheckARevokedKeyKeepsItsHitsAsDocumented() throws Exception {
    String body = chat("", "[{\"role\":\"user\",\"content\":\"still mine?\"}]");
    assertThat(xCache(post("good", body))).isEqualTo("MISS");
    upstream.revokedKeys.add("Bearer good");

    assertThat(xCache(post("good", body))).isEqualTo("HIT");
    assertThat(upstream.otherCalls).as("no key check by default").hasValue(0);
  }
}
