package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /v1/embeddings} is cached exactly, per key, and honours Cache-Control. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyEmbeddingsTest extends RunningProxy {
  private static final String BODY = "{\"model\":\"text-embedding-3-small\","
      + "\"input\":\"cache me\"}";

  private HttpResponse<String> embed(String key, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/embeddings"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String xCache(HttpResponse<String> response) {
    return response.headers().firstValue(CacheStatus.HEADER).orElseThrow();
  }

  @Test
  void theSameRequestIsAnsweredFromTheCacheForTheSameKeyOnly() throws Exception {
    HttpResponse<String> first = embed("alice", BODY);
    HttpResponse<String> second = embed("alice", BODY);
    HttpResponse<String> otherKey = embed("bob", BODY);
    HttpResponse<String> otherInput = embed("alice", BODY.replace("cache me", "and me"));

    assertThat(xCache(first)).isEqualTo("MISS");
    assertThat(xCache(second)).isEqualTo("HIT");
    assertThat(second.body()).isEqualTo(first.body()).contains("\"embedding\":[8.0,0.5]");
    assertThat(second.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(xCache(otherKey)).isEqualTo("MISS");
    assertThat(xCache(otherInput)).isEqualTo("MISS");
    assertThat(upstream.embeddingCalls).hasValue(3);
  }

  @Test
  void cacheControlSteersEmbeddingsToo() throws Exception {
    assertThat(xCache(embed("alice", BODY, "Cache-Control", "no-store"))).isEqualTo("MISS");
    assertThat(xCache(embed("alice", BODY))).as("nothing kept").isEqualTo("MISS");
    assertThat(xCache(embed("alice", BODY, "Cache-Control", "no-cache"))).isEqualTo("MISS");
    assertThat(xCache(embed("alice", BODY))).isEqualTo("HIT");
  }
}
