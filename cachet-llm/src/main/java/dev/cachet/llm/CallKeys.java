package dev.cachet.llm;

import dev.cachet.llm.InvalidRequestException.Reason;
import dev.cachet.llm.semantic.Embedder;
import java.util.Objects;

/**
 * The digests of one request for one tenant, computed once per call and shared by the lookup,
 * the upstream call and the store.
 *
 * @param request the request
 * @param tenantDigest the tenant's digest
 * @param exact the exact key
 * @param partition the semantic partition's digest; null without a semantic layer or when the
 *     last user message is too long to be matched semantically
 * @param prompt the last user message, or null
 */
record CallKeys(LlmRequest request, String tenantDigest, String exact, String partition,
    String prompt) {

  /**
   * The keys of a request.
   *
   * @param embedder the semantic layer's embedder, or null without one
   * @throws InvalidRequestException when the prompt is larger than {@code maxPromptChars}
   */
  static CallKeys of(LlmRequest request, CallOptions options, long maxPromptChars,
      int semanticMaxPromptChars, Embedder embedder) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(options, "options");
    long size = request.promptChars();
    if (size > maxPromptChars) {
      throw new InvalidRequestException(Reason.TOO_LARGE, "The prompt has " + size
          + " characters, more than this cache's limit of " + maxPromptChars
          + " (LlmCache.Builder.maxPromptChars)");
    }
    String tenant = options.tenantId();
    String prompt = request.lastUserText();
    // Long prompts are matched exactly only: a 384-dimension embedding of a long document says
    // little about whether two of them ask the same thing, and embedding them costs the most.
    String partition = embedder != null && prompt != null
        && prompt.length() <= semanticMaxPromptChars
        ? RequestKeys.partitionDigest(request, tenant, embedder.id()) : null;
    return new CallKeys(request, RequestKeys.tenantDigest(tenant),
        RequestKeys.exactDigest(request, tenant), partition, prompt);
  }

  /** The id a lookup reports for the answer stored under these keys. */
  EntryId entryId() {
    return new EntryId(tenantDigest, exact, partition);
  }

  /** The id of another answer found in this call's partition (a semantic hit). */
  EntryId entryId(String otherExact) {
    return new EntryId(tenantDigest, otherExact, partition);
  }
}
