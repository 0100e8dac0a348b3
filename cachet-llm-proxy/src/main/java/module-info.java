/**
 * The OpenAI-compatible caching proxy of Cachet's LLM cache,
 * {@link dev.cachet.llm.proxy.CachingProxy}, on Jetty; its handlers stay internal.
 */
module dev.cachet.llm.proxy {
  requires transitive dev.cachet.llm;
  requires org.eclipse.jetty.server;
  requires java.net.http;
  requires java.logging;

  exports dev.cachet.llm.proxy;
}
