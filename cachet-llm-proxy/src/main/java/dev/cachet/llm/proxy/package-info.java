/**
 * An OpenAI-compatible caching proxy: {@link dev.cachet.llm.proxy.CachingProxy} answers
 * {@code POST /v1/chat/completions} from an {@link dev.cachet.llm.LlmCache} (exactly, or by
 * meaning), streams misses through as they arrive, passes every other request to the upstream
 * unchanged, and says how each answer was obtained in the {@code X-Cache} header. Programs in
 * any language use it by changing their OpenAI base URL; {@code cachet serve} runs it.
 */
package dev.cachet.llm.proxy;
