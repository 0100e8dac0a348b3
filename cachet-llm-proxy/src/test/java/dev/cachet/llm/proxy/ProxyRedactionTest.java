package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/** A password in the upstream URL never reaches a client, a log or the startup line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyRedactionTest {
  private static final String PASSWORD = "s3cret-pa55";

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
  private Level previousLevel;

  @BeforeEach
  void captureLogs() {
    previousLevel = proxyLogger.getLevel();
    proxyLogger.setLevel(Level.ALL);
    proxyLogger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    proxyLogger.removeHandler(capture);
    proxyLogger.setLevel(previousLevel);
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String everything(List<LogRecord> records) {
    StringBuilder all = new StringBuilder();
    for (LogRecord r : records) {
      all.append(r.getMessage()).append('\n');
      for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
        all.append(t).append('\n');
      }
    }
    return all.toString();
  }

  @Test
  void theUpstreamsPasswordIsNeitherAnsweredNorLoggedNorShown() throws Exception {
    URI upstream = URI.create("http://proxyuser:" + PASSWORD + "@127.0.0.1:" + closedPort());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (CachingProxy proxy = CachingProxy.builder(upstream).port(0).build().start()) {
      HttpResponse<String> chat = http.send(HttpRequest.newBuilder(
              URI.create(proxy.baseUrl() + "/chat/completions"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"temperature\":0,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> other = http.send(HttpRequest.newBuilder(
          URI.create(proxy.baseUrl() + "/models")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(chat.statusCode()).isEqualTo(502);
      assertThat(other.statusCode()).isEqualTo(502);
      assertThat(chat.body()).doesNotContain(PASSWORD).contains("http://***@127.0.0.1:");
      assertThat(other.body()).doesNotContain(PASSWORD);
      assertThat(proxy.shownUpstream()).doesNotContain(PASSWORD).startsWith("http://***@");
    }
    assertThat(everything(logged)).doesNotContain(PASSWORD);
  }
}
