/**
 * The LLM response cache: a client-neutral request/response model ({@link
 * dev.cachet.llm.LlmRequest}, {@link dev.cachet.llm.LlmResponse}) and {@link
 * dev.cachet.llm.LlmCache}, exact and semantic, with streaming, tenants and a policy that never
 * stores incomplete or failed answers. See the module README for the design.
 */
package dev.cachet.llm;
