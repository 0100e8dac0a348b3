package dev.cachet.llm.semantic.bundled;

import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.PairFeatures;
import dev.cachet.llm.semantic.SemanticGuard;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cachet.llm.semantic.Vectors;

/**
 * A public pair with what the semantic cache sees of it: the bundled model's cosine, the
 * guard's verdict and the verifier's features. The pair's {@code b} plays the stored prompt,
 * {@code a} the new one. Only candidates (cosine at least
 * {@link dev.cachet.llm.semantic.Verifier#DEFAULT_CANDIDATE_SIMILARITY}) get token vectors, as
 * in a lookup; the others' alignment features are the neutral ones and never reach a verifier.
 */
record ScoredPair(PublicPairs.Pair pair, double cosine, SemanticGuard.Verdict verdict,
    double[] features) {

  /**
   * Scores pairs, reusing vectors from an earlier run when a cache file is given (embedding
   * thousands of sentences takes minutes on two shared cores; the vectors of a text never
   * change for a model, so reusing them changes no number).
   */
  static List<ScoredPair> score(List<PublicPairs.Pair> pairs, Embedder embedder,
      Path vectorCache) {
    Map<String, float[]> vectors = read(vectorCache);
    int before = vectors.size();
    SemanticGuard guard = new SemanticGuard();
    Map<String, float[][]> tokens = new java.util.HashMap<>();
    float[][] none = new float[0][];
    List<ScoredPair> out = new ArrayList<>(pairs.size());
    for (PublicPairs.Pair p : pairs) {
      float[] a = vectors.computeIfAbsent(p.a(), embedder::embed);
      float[] b = vectors.computeIfAbsent(p.b(), embedder::embed);
      double c = Vectors.dot(a, b);
      SemanticGuard.Verdict v = guard.check(p.a(), p.b());
      boolean candidate = c >= dev.cachet.llm.semantic.Verifier.DEFAULT_CANDIDATE_SIMILARITY;
      float[][] ta = candidate ? tokens.computeIfAbsent(p.a(), embedder::tokenVectors) : none;
      float[][] tb = candidate ? tokens.computeIfAbsent(p.b(), embedder::tokenVectors) : none;
      out.add(new ScoredPair(p, c, v, PairFeatures.of(p.a(), p.b(), c, v, ta, tb)));
    }
    if (vectorCache != null && vectors.size() > before) {
      write(vectorCache, vectors);
    }
    return out;
  }

  private static Map<String, float[]> read(Path file) {
    Map<String, float[]> vectors = new LinkedHashMap<>();
    if (file == null || !Files.exists(file)) {
      return vectors;
    }
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String text = in.readUTF();
        float[] v = new float[in.readInt()];
        for (int j = 0; j < v.length; j++) {
          v[j] = in.readFloat();
        }
        vectors.put(text, v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Unreadable vector cache " + file + ": delete it", e);
    }
    return vectors;
  }

  private static void write(Path file, Map<String, float[]> vectors) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
        out.writeInt(vectors.size());
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
          out.writeUTF(e.getKey());
          out.writeInt(e.getValue().length);
          for (float x : e.getValue()) {
            out.writeFloat(x);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the vector cache " + file, e);
    }
  }
}
