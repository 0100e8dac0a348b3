package dev.cachet.llm;

import dev.cachet.llm.semantic.Embedder;

/**
 * A test embedder: each word (lower-cased, split on non-word characters) adds one to the slot
 * its hash picks, and the vector is normalised. Cheap, the same text always gives the same
 * vector, and case and punctuation do not change it.
 */
final class WordHashEmbedder implements Embedder {
  private final String id;
  private final int dimension;

  WordHashEmbedder(String id, int dimension) {
    this.id = id;
    this.dimension = dimension;
  }

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
    float[] v = new float[dimension];
    for (String word : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
      if (!word.isEmpty()) {
        v[Math.floorMod(word.hashCode(), dimension)] += 1;
      }
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(Math.max(norm, 1e-9));
    }
    return v;
  }
}
