package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No key holder ever receives an answer cached for another key, however the key is sent: the
 * JDK's HTTP client sends keys in every place an upstream reads them, to the real proxy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantIsolationTest extends RunningProxy {
  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Whose answer is this?\"}]}";

  /** The places an upstream reads an API key from. */
  enum KeyCarrier {
    BEARER_TOKEN("", "Authorization", "Bearer "),
    AUTHORIZATION_WITHOUT_SCHEME("", "Authorization", ""),
    AZURE_API_KEY_HEADER("", "api-key", ""),
    X_API_KEY_HEADER("", "x-api-key", ""),
    GOOGLE_API_KEY_HEADER("", "x-goog-api-key", ""),
    KEY_QUERY_PARAMETER("key", null, ""),
    API_KEY_QUERY_PARAMETER("api-key", null, ""),
    API_UNDERSCORE_KEY_QUERY_PARAMETER("api_key", null, "");

    final String parameter;
    final String header;
    final String prefix;

    KeyCarrier(String parameter, String header, String prefix) {
      this.parameter = parameter;
      this.header = header;
      this.prefix = prefix;
    }

    HttpRequest.Builder request(URI proxyBase, String key, String query) {
      String q = header == null ? parameter + "=" + key : "";
      if (query != null) {
        q = q.isEmpty() ? query : q + "&" + query;
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxyBase + "/chat/completions"
              + (q.isEmpty() ? "" : "?" + q)))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(BODY));
      if (header != null) {
        b.header(header, prefix + key);
      }
      return b;
    }
  }

  private String xCache(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue(CacheStatus.HEADER).orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(KeyCarrier.class)
  void twoKeysSentThisWayNeverShareAnAnswer(KeyCarrier carrier) throws Exception {
    URI base = proxy.baseUrl();

    assertThat(xCache(carrier.request(base, "key-alice", null))).isEqualTo("MISS");
    assertThat(xCache(carrier.request(base, "key-bob", null)))
        .as("another key, same question").isEqualTo("MISS");
    assertThat(xCache(carrier.request(base, "key-alice", null))).isEqualTo("HIT");
    assertThat(xCache(carrier.request(base, "key-bob", null))).isEqualTo("HIT");
    assertThat(upstream.chatCalls).hasValue(2);
  }

  @Test
  void aKeySentOneWayIsNotReadableWithoutAKeyOrWithTheSameKeyElsewhere() throws Exception {
    URI base = proxy.baseUrl();
    assertThat(xCache(KeyCarrier.AZURE_API_KEY_HEADER.request(base, "k", null)))
        .isEqualTo("MISS");

    HttpRequest.Builder anonymous = HttpRequest.newBuilder(
            URI.create(base + "/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(BODY));
    assertThat(xCache(anonymous)).as("no key at all").isEqualTo("MISS");
    assertThat(xCache(KeyCarrier.X_API_KEY_HEADER.request(base, "k", null)))
        .as("the same string in a header the upstream reads differently").isEqualTo("MISS");
  }

  @Test
  void aTenantHeaderNarrowsAKeysPartitionButNeverReachesAnotherKeys() throws Exception {
    proxy.close();
    proxy = CachingProxy.builder(upstream.uri()).port(0).cachet(cachet).tenantHeader("X-Team")
        .build().start();
    URI base = proxy.baseUrl();
    KeyCarrier bearer = KeyCarrier.BEARER_TOKEN;

    assertThat(xCache(bearer.request(base, "alice", null).header("X-Team", "red")))
        .isEqualTo("MISS");
    assertThat(xCache(bearer.request(base, "bob", null).header("X-Team", "red")))
        .as("another key naming the same team").isEqualTo("MISS");
    assertThat(xCache(bearer.request(base, "bob", null)))
        .as("another key without the header").isEqualTo("MISS");
    assertThat(xCache(bearer.request(base, "alice", null).header("X-Team", "blue")))
        .as("the same key, another team").isEqualTo("MISS");
    assertThat(xCache(bearer.request(base, "alice", null).header("X-Team", "red")))
        .as("the same key and team").isEqualTo("HIT");
    assertThat(upstream.chatCalls).hasValue(4);
  }

  @Test
  void queryParametersThatChangeTheAnswerPartitionEntries() throws Exception {
    URI base = proxy.baseUrl();
    KeyCarrier azure = KeyCarrier.AZURE_API_KEY_HEADER;

    assertThat(xCache(azure.request(base, "k", "api-version=2024-06-01"))).isEqualTo("MISS");
    assertThat(xCache(azure.request(base, "k", "api-version=2024-10-21")))
        .as("another API version may answer differently").isEqualTo("MISS");
    assertThat(xCache(azure.request(base, "k", "api-version=2024-06-01"))).isEqualTo("HIT");
    assertThat(xCache(KeyCarrier.KEY_QUERY_PARAMETER.request(base, "k", "alt=json")))
        .isEqualTo("MISS");
    assertThat(xCache(KeyCarrier.KEY_QUERY_PARAMETER.request(base, "k", "alt=json")))
        .isEqualTo("HIT");
  }
}
