package dev.cachet.llm.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks the upstream, at most once per interval and credential, whether the key of a request
 * about to be answered from the cache is still accepted, so a revoked key stops receiving
 * hits within one interval.
 *
 * <p>Without it (the default) a hit never reaches the upstream, so a key the provider has
 * revoked keeps reading the answers cached for it. The check is {@code GET /v1/models} with
 * the request's credentials: 401 or 403 means revoked; any other answer, or none (an upstream
 * that cannot be reached), lets the hit be served, since the cache exists to answer when the
 * upstream is slow or down.
 */
final class KeyCheck {
  private static final Logger LOG = Logger.getLogger(KeyCheck.class.getName());
  /** More remembered credentials than this and the memory starts over (each costs a check). */
  private static final int MAX_REMEMBERED = 100_000;

  private final Upstream upstream;
  private final long intervalNanos;
  /** When each tenant's key was last accepted, by System.nanoTime(). */
  private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

  /**
   * @param interval how long an accepted key is trusted, or null to never check
   */
  KeyCheck(Upstream upstream, Duration interval) {
    this.upstream = upstream;
    this.intervalNanos = interval == null ? -1 : interval.toNanos();
  }

  /**
   * Whether the request's key may be served a hit.
   *
   * @param tenant the request's tenant, from {@link Tenants}
   */
  boolean allows(HttpCall call, String tenant) {
    if (intervalNanos < 0 || tenant.startsWith(Tenants.ANONYMOUS)) {
      return true;
    }
    long now = System.nanoTime();
    Long accepted = acceptedAt.get(tenant);
    if (accepted != null && now - accepted < intervalNanos) {
      return true;
    }
    HttpRequest.Builder check = HttpRequest.newBuilder(upstream.target("/v1/models",
        call.rawQuery())).GET().timeout(Duration.ofSeconds(10));
    for (String header : Credentials.HEADERS) {
      for (String value : call.headerValues(header)) {
        check.header(header, value);
      }
    }
    int status;
    try {
      HttpResponse<InputStream> response = upstream.open(check.build(), true);
      status = response.statusCode();
      response.body().close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } catch (IOException e) {
      LOG.log(Level.FINE, "The key check could not reach the upstream; serving the hit", e);
      return true;
    }
    if (status == 401 || status == 403) {
      acceptedAt.remove(tenant);
      return false;
    }
    if (acceptedAt.size() >= MAX_REMEMBERED) {
      acceptedAt.clear();
    }
    acceptedAt.put(tenant, now);
    return true;
  }
}
