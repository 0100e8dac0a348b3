package dev.cachet.llm;

import dev.cachet.llm.semantic.Embedder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The semantic layer's embedder, with the last few prompts' vectors kept: a miss embeds the
 * prompt for its lookup and again when its answer is stored, and an embedding costs
 * milliseconds of CPU.
 */
final class EmbeddingCache {
  private static final int RECENT = 256;

  private final Embedder embedder;
  private final Map<String, float[]> recent = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > RECENT;
        }
      });

  EmbeddingCache(Embedder embedder) {
    this.embedder = embedder;
  }

  Embedder embedder() {
    return embedder;
  }

  /** The prompt's vector. */
  float[] embed(String prompt) {
    float[] v = recent.get(prompt);
    if (v == null) {
      v = embedder.embed(prompt);
      recent.put(prompt, v);
    }
    return v;
  }
}
