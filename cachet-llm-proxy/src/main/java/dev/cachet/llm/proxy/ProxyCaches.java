package dev.cachet.llm.proxy;

import dev.cachet.llm.CallOptions;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.LlmResult;
import dev.cachet.llm.Lookup;
import dev.cachet.llm.StoreOutcome;
import java.util.List;
import java.util.function.Function;

/** The {@link ProxyCache} over the library's {@link LlmCache}. */
final class ProxyCaches {
  private ProxyCaches() {
  }

  /**
   * @param semantic whether this proxy may serve semantic hits (false turns them off per call
   *     even when the cache has a semantic layer)
   * @param serveSampled whether to serve cached answers to sampled requests, or null for the
   *     cache's own setting
   */
  static ProxyCache over(LlmCache llm, boolean semantic, Boolean serveSampled) {
    return new ProxyCache() {
      private CallOptions options(String tenant) {
        CallOptions options = CallOptions.tenant(tenant).semantic(semantic);
        return serveSampled == null ? options : options.serveSampled(serveSampled);
      }

      @Override
      public Match lookup(String tenant, LlmRequest request) {
        return match(llm.lookup(request, options(tenant)));
      }

      @Override
      public Answer chat(String tenant, LlmRequest request, CacheControls controls,
          Function<LlmRequest, LlmResponse> upstream) {
        CallOptions options = options(tenant);
        if (!controls.read()) {
          options = options.refresh();
        }
        if (!controls.write()) {
          options = options.noStore();
        }
        LlmResult result = llm.chat(request, options, upstream);
        if (result.lookup().isHit()) {
          return new Answer(match(result.lookup()), null);
        }
        Lookup miss = result.lookup();
        return new Answer(new Match(CacheStatus.MISS, result.response(), List.of(), Double.NaN,
            miss.detail() == null ? "" : miss.detail(), null, 0), result.stored() ? null
            : result.notStoredReason());
      }

      private Match match(Lookup found) {
        switch (found.outcome()) {
          case EXACT_HIT:
            return new Match(CacheStatus.HIT, found.response(), found.chunks(), Double.NaN, "",
                found.entryId(), found.storedAtMillis());
          case SEMANTIC_HIT:
            return new Match(CacheStatus.SEMANTIC_HIT, found.response(), found.chunks(),
                found.similarity(), "", found.entryId(), found.storedAtMillis());
          default:
            return Match.miss(found.detail() == null ? "" : found.detail());
        }
      }

      @Override
      public boolean invalidate(String tenant, String entryId) {
        return llm.invalidate(entryId, tenant);
      }

      @Override
      public boolean feedback(String tenant, String entryId, boolean correct) {
        return llm.feedback(entryId, tenant, correct);
      }

      @Override
      public String store(String tenant, LlmRequest request, LlmResponse response,
          List<String> chunks) {
        StoreOutcome outcome = llm.put(request, response, chunks.isEmpty() ? null : chunks,
            options(tenant));
        return outcome.stored() ? null : outcome.reason();
      }
    };
  }
}
