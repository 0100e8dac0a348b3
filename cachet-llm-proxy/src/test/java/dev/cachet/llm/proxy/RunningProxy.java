package dev.cachet.llm.proxy;

import dev.cachet.Cachet;
import java.io.IOException;
import java.net.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real proxy with default settings on a free loopback port, in front of a fake upstream and
 * over an in-memory Cachet, started before each test and closed after it; with the JDK's HTTP
 * client (HTTP/1.1, as most SDKs speak) to call it. For the tests that need nothing else.
 */
abstract class RunningProxy {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  FakeUpstream upstream;
  Cachet cachet;
  CachingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    upstream = new FakeUpstream();
    cachet = Cachet.create();
    proxy = CachingProxy.builder(upstream.uri()).port(0).cachet(cachet).build().start();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
    cachet.close();
  }
}
