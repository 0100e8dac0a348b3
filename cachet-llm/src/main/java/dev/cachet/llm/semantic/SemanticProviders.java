package dev.cachet.llm.semantic;

import java.util.Iterator;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the installed {@link SemanticProvider}, once per JVM. */
public final class SemanticProviders {
  /** The Maven coordinates of the module that provides the bundled model and HNSW. */
  public static final String ARTIFACT = "dev.cachet:cachet-llm-semantic";

  private SemanticProviders() {
  }

  // Looked up once: the class path does not change, and ServiceLoader scans every jar. Not in a
  // holder class: a broken provider would fail its initialization, and every later call would
  // get a bare NoClassDefFoundError instead of the reason.
  private static Optional<SemanticProvider> provider; // guarded by SemanticProviders.class

  private static Optional<SemanticProvider> load() {
    try {
      Iterator<SemanticProvider> found = ServiceLoader.load(SemanticProvider.class,
          SemanticProviders.class.getClassLoader()).iterator();
      return found.hasNext() ? Optional.of(found.next()) : Optional.empty();
    } catch (ServiceConfigurationError e) {
      // A provider listed but broken (a missing transitive jar, say) must say so, not make
      // the cache silently fall back to exact search.
      throw new IllegalStateException("The semantic provider on the class path cannot be"
          + " loaded: " + e.getMessage(), e);
    }
  }

  /**
   * The provider on the class path, if any.
   *
   * @return the provider, or empty when {@value #ARTIFACT} is not on the class path
   * @throws IllegalStateException when a provider is listed but cannot be loaded
   */
  public static synchronized Optional<SemanticProvider> installed() {
    if (provider == null) {
      provider = load();
    }
    return provider;
  }

  /**
   * The provider on the class path, for a feature that cannot work without it.
   *
   * @param feature what needs it, for the message, such as {@code "LlmCache.Builder.semantic()"}
   * @return the provider
   * @throws IllegalStateException when {@value #ARTIFACT} is not on the class path; the
   *     message names the artifact to add
   */
  public static SemanticProvider require(String feature) {
    return installed().orElseThrow(() -> new IllegalStateException(feature
        + " needs the bundled embedding model, which is in the artifact " + ARTIFACT
        + " (ONNX Runtime and Lucene): add it to the class path (Maven: groupId dev.cachet,"
        + " artifactId cachet-llm-semantic), or pass an Embedder of your own to"
        + " LlmCache.Builder.semantic(Embedder)."));
  }
}
