package dev.cachet.bench;

import dev.cachet.Cachet;
import dev.cachet.llm.proxy.CachingProxy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The proxy side of {@link ProxyLoad}, in a JVM of its own so that its heap is measured alone:
 * starts {@link ProxyLoadUpstream} and a {@link CachingProxy} with the load's settings, prints
 * {@code port N}, samples its heap every 50 ms until a {@code stop} line (or the end of standard
 * input), then prints {@code heap USED LIVE LIMIT} (bytes) and exits.
 *
 * <p>{@code USED} is the most heap in use at a sample, garbage included, so it approaches the
 * limit whenever the collector waits; {@code LIVE} is the most left after a collection (the sum
 * of the heap pools' usage after their last collection): what the proxy actually holds.
 */
public final class ProxyLoadServer {
  static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(5);
  static final Duration UPSTREAM_IDLE = Duration.ofSeconds(1);
  static final Duration CLIENT_IDLE = Duration.ofSeconds(5);
  static final int MAX_REQUEST_BYTES = 1 << 20;
  static final int THREADS = 64;

  private ProxyLoadServer() {
  }

  /**
   * Serves until told to stop.
   *
   * @param args none
   */
  public static void main(String[] args) throws Exception {
    AtomicBoolean stopping = new AtomicBoolean();
    long[] used = {0};
    long[] live = {0};
    try (ProxyLoadUpstream upstream = new ProxyLoadUpstream(20); Cachet cachet = Cachet.create();
        CachingProxy proxy = CachingProxy.builder(upstream.uri()).port(0).cachet(cachet)
            .threads(THREADS).maxRequestBytes(MAX_REQUEST_BYTES)
            .upstreamTimeout(UPSTREAM_TIMEOUT).upstreamIdleTimeout(UPSTREAM_IDLE)
            .clientIdleTimeout(CLIENT_IDLE).build().start()) {
      Thread sampler = new Thread(() -> {
        while (!stopping.get()) {
          long u = 0;
          long l = 0;
          for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
              continue;
            }
            u += pool.getUsage().getUsed();
            MemoryUsage afterGc = pool.getCollectionUsage();
            l += afterGc == null ? 0 : afterGc.getUsed();
          }
          synchronized (used) {
            used[0] = Math.max(used[0], u);
            live[0] = Math.max(live[0], l);
          }
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
      System.out.println("port " + proxy.port());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.strip().equals("stop")) {
        // Only "stop" means anything.
      }
      stopping.set(true);
      sampler.join(1_000);
    }
    synchronized (used) {
      System.out.println("heap " + used[0] + " " + live[0] + " "
          + Runtime.getRuntime().maxMemory());
    }
    System.out.flush();
    System.exit(0);
  }
}
