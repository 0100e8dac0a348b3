package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A request steers the cache: Cache-Control, a forced refresh, namespaces, deleting entries. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyControlsTest extends RunningProxy {
  private HttpResponse<String> ask(boolean stream, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer owner").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"temperature\":0,"
            + "\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Steer me\"}]}"));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> ask(String... headers) throws Exception {
    return ask(false, headers);
  }

  private static String xCache(HttpResponse<String> response) {
    return response.headers().firstValue(CacheStatus.HEADER).orElseThrow();
  }

  private HttpResponse<String> delete(String entryId, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create(proxy.baseUrl() + "/cachet/entries/" + entryId)).DELETE();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Cache-Control:no-cache", "X-Cachet-Refresh:true"})
  void noCacheAndAForcedRefreshAskTheUpstreamAndStoreItsAnswer(String header) throws Exception {
    String[] nameValue = header.split(":");
    assertThat(xCache(ask())).isEqualTo("MISS");

    assertThat(xCache(ask(nameValue[0], nameValue[1]))).isEqualTo("MISS");
    assertThat(upstream.chatCalls).hasValue(2);
    assertThat(xCache(ask())).isEqualTo("HIT");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void noStoreKeepsNothing(boolean stream) throws Exception {
    assertThat(xCache(ask(stream, "Cache-Control", "no-store"))).isEqualTo("MISS");
    assertThat(xCache(ask())).as("nothing was kept").isEqualTo("MISS");
    assertThat(xCache(ask())).isEqualTo("HIT");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void maxAgeRefreshesAnEntryOlderThanTheClientAcceptsAndHitsSayTheirAge(boolean stream)
      throws Exception {
    assertThat(xCache(ask())).isEqualTo("MISS");

    HttpResponse<String> young = ask(stream, "Cache-Control", "max-age=3600");
    HttpResponse<String> tooOld = ask(stream, "Cache-Control", "max-age=0");

    assertThat(xCache(young)).isEqualTo("HIT");
    assertThat(young.headers().firstValue("Age")).hasValueSatisfying(
        age -> assertThat(Long.parseLong(age)).isBetween(0L, 3600L));
    assertThat(xCache(tooOld)).as("max-age=0 accepts no stored answer").isEqualTo("MISS");
    assertThat(upstream.chatCalls).hasValue(2);
    assertThat(xCache(ask())).as("the refreshed answer was stored").isEqualTo("HIT");
  }

  @Test
  void aNamespacePartitionsEntries() throws Exception {
    assertThat(xCache(ask("X-Cachet-Namespace", "staging"))).isEqualTo("MISS");
    assertThat(xCache(ask("X-Cachet-Namespace", "production"))).isEqualTo("MISS");
    assertThat(xCache(ask())).isEqualTo("MISS");
    assertThat(xCache(ask("X-Cachet-Namespace", "staging"))).isEqualTo("HIT");
  }

  @Test
  void aHitNamesItsEntryWhichOnlyItsOwnKeyCanDelete() throws Exception {
    ask();
    HttpResponse<String> hit = ask();
    String entryId = hit.headers().firstValue("X-Cache-Entry-Id").orElseThrow();

    HttpResponse<String> byAnother = delete(entryId, "someone-else");
    HttpResponse<String> byNobody = delete(entryId, null);
    assertThat(xCache(ask())).as("still there").isEqualTo("HIT");
    HttpResponse<String> byOwner = delete(entryId, "owner");

    assertThat(byAnother.statusCode()).isEqualTo(404);
    assertThat(byAnother.body()).contains("entry_not_found");
    assertThat(byNobody.statusCode()).isEqualTo(401);
    assertThat(byOwner.statusCode()).isEqualTo(200);
    assertThat(byOwner.body()).contains("\"deleted\":true");
    assertThat(xCache(ask())).as("gone").isEqualTo("MISS");
    assertThat(delete("not-an-id", "owner").statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> feedback(String entryId, String verdict, String key)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.baseUrl()
        + "/cachet/entries/" + entryId + "/" + verdict)).POST(HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void feedbackWithoutTheErrorBoundedModeSaysWhyNothingWasRecorded() throws Exception {
    ask();
    String entryId = ask().headers().firstValue("X-Cache-Entry-Id").orElseThrow();

    HttpResponse<String> exact = feedback(entryId, "wrong", "owner");
    assertThat(exact.statusCode()).isEqualTo(404);
    assertThat(exact.body()).contains("feedback_not_recorded").contains("--semantic-max-error");
    assertThat(feedback(entryId, "correct", null).statusCode()).isEqualTo(401);
    assertThat(feedback("not-an-id", "wrong", "owner").statusCode()).isEqualTo(400);
    assertThat(upstream.chatCalls).as("never forwarded").hasValue(1);
    assertThat(xCache(ask())).as("feedback removes nothing").isEqualTo("HIT");
  }
}
