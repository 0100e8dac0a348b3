package dev.cachet.llm.proxy;

import java.net.URI;

/**
 * Runs a proxy in a JVM of its own, so a test can give it a small heap: prints its port, then
 * serves until its standard input closes.
 */
final class SmallHeapProxy {
  private SmallHeapProxy() {
  }

  /**
   * @param args the upstream URL
   */
  public static void main(String[] args) throws Exception {
    try (CachingProxy proxy = CachingProxy.builder(URI.create(args[0])).port(0)
        .maxRequestBytes(8 << 20).build().start()) {
      System.out.println(proxy.port());
      System.out.flush();
      while (System.in.read() != -1) {
        // Serve until the parent closes our input (or dies).
      }
    }
  }
}
