package dev.cachet.llm.semantic.bundled;

import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.Vectors;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.Objects;
import java.util.function.Function;

/**
 * The bundled embedding model (ONNX Runtime, in process) and the adapter for LangChain4j
 * embedding models: the part of the semantic layer that needs {@code cachet-llm-semantic}.
 */
public final class Embedders {
  /** The id of the bundled model. */
  public static final String ALL_MINILM_L6_V2_Q = "all-minilm-l6-v2-q";

  private Embedders() {
  }

  private static final class Bundled {
    // Loaded once per JVM on first use: the model takes about a second and 100 MB to load.
    static final Embedder INSTANCE = bundled();
  }

  private static Embedder bundled() {
    BundledMiniLm model = new BundledMiniLm();
    return adapt(model, ALL_MINILM_L6_V2_Q, model::tokenVectors);
  }

  /**
   * The bundled model: sentence-transformers' all-MiniLM-L6-v2, quantized, run by ONNX Runtime
   * in process (no network), 384 dimensions. Chosen over bge-small-en-v1.5 by measurement: on
   * the module's evaluation set it reaches the required precision with similar recall and
   * embeds about three times faster (see the module README). Runs one thread per embedding.
   * Gives {@linkplain Embedder#tokenVectors token vectors}, so the bundled verifier applies.
   * Loaded on first use and shared by every caller in the JVM.
   *
   * @return the embedder
   */
  public static Embedder allMiniLmL6V2() {
    return Bundled.INSTANCE;
  }

  /**
   * Adapts any LangChain4j embedding model. Its vectors are normalized here, so the model need
   * not do it.
   *
   * @param model the model
   * @param id a stable id of the model and its version (part of every semantic partition)
   * @return the embedder
   */
  public static Embedder of(EmbeddingModel model, String id) {
    return adapt(Objects.requireNonNull(model, "model"), Objects.requireNonNull(id, "id"), null);
  }

  /** A model as an embedder, with its token vectors when {@code tokens} is not null. */
  private static Embedder adapt(EmbeddingModel model, String id,
      Function<String, float[][]> tokens) {
    int dimension = model.dimension();
    return new Embedder() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public int dimension() {
        return dimension;
      }

      @Override
      public float[] embed(String text) {
        Embedding e = model.embed(text).content();
        return normalize(e.vector());
      }

      @Override
      public float[][] tokenVectors(String text) {
        return tokens == null ? null : tokens.apply(text);
      }

      /**
       * Describes this object for logs.
       *
       * @return a short description
       */
      @Override
      public String toString() {
        return "Embedder[" + id + ", " + dimension + " dimensions]";
      }
    };
  }

  /**
   * Scales a vector to norm 1 (the same as {@link Vectors#normalize}, kept here for callers of
   * the bundled model).
   *
   * @param v a vector; changed in place
   * @return {@code v}
   * @throws IllegalArgumentException when the vector is all zeros or not finite
   */
  public static float[] normalize(float[] v) {
    return Vectors.normalize(v);
  }
}
