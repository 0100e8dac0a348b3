package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.semantic.Embedder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The error-bounded mode through the proxy: a prefix serves semantic hits only after the fresh
 * answers of near-misses agreed often enough, and a client's "wrong" on a hit, sent with the
 * key it was served under, stops them again; another key's verdict is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyFeedbackTest {
  private static final String STORED = "how do I sort a list of numbers in python quickly";

  /** Each distinct word sets its own coordinate: cosine counts shared words. */
  private static final Embedder WORDS = new Embedder() {
    @Override
    public String id() {
      return "proxy-feedback-words";
    }

    @Override
    public int dimension() {
      return 4096;
    }

    @Override
    public float[] embed(String text) {
      float[] v = new float[4096];
      for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
        if (!w.isEmpty()) {
          v[Math.floorMod(w.hashCode(), 4096)] = 1;
        }
      }
      return dev.cachet.llm.semantic.Vectors.normalize(v);
    }
  };

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private FakeUpstream upstream;
  private Cachet cachet;
  private CachingProxy proxy;

  @BeforeEach
  void start() throws Exception {
    // It answers "You asked: <question>", so a near-miss's answer embeds next to the stored
    // one's: the comparison labels the candidate right.
    upstream = new FakeUpstream();
    cachet = Cachet.create();
    LlmCache llm = LlmCache.builder(cachet).semantic(WORDS).similarityThreshold(0.8)
        .errorBound(0.05).build();
    proxy = CachingProxy.builder(upstream.uri()).port(0).cache(llm).build().start();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
    cachet.close();
  }

  private HttpResponse<String> ask(String question, String key) throws Exception {
    String body = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + question + "\"}]}";
    return http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> feedback(String entryId, String verdict, String key)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/cachet/entries/"
        + entryId + "/" + verdict)).header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String variant(int i) {
    StringBuilder word = new StringBuilder("extra");
    for (int n = i + 1; n > 0; n /= 26) {
      word.append((char) ('a' + n % 26));
    }
    return STORED + " " + word;
  }

  @Test
  void hitsStartAfterAgreeingNearMissesAndAWrongVerdictStopsThem() throws Exception {
    ask(STORED, "owner");
    int i = 0;
    HttpResponse<String> hit;
    do {
      hit = ask(variant(i++), "owner");
      assertThat(i).as("hits start within 200 near-misses").isLessThan(200);
    } while (!hit.headers().firstValue(CacheStatus.HEADER).orElseThrow().equals("SEMANTIC-HIT"));
    assertThat(i).as("not before the evidence").isGreaterThan(30);
    String entryId = hit.headers().firstValue("X-Cache-Entry-Id").orElseThrow();

    assertThat(feedback(entryId, "wrong", "someone-else").statusCode()).isEqualTo(404);
    HttpResponse<String> wrong = feedback(entryId, "wrong", "owner");
    assertThat(wrong.statusCode()).isEqualTo(200);
    assertThat(wrong.body()).contains("\"correct\":false").contains("\"recorded\":true");
    assertThat(feedback(entryId, "wrong", "owner").statusCode()).as("judged once")
        .isEqualTo(404);

    HttpResponse<String> after = ask(variant(i), "owner");
    assertThat(after.headers().firstValue(CacheStatus.HEADER)).hasValue("MISS");
  }
}
