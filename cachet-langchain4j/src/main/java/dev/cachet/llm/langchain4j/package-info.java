/**
 * LangChain4j integration: decorators that add Cachet caching to any {@code ChatModel}
 * ({@link dev.cachet.llm.langchain4j.CachingChatModel}) or {@code StreamingChatModel}
 * ({@link dev.cachet.llm.langchain4j.CachingStreamingChatModel}).
 */
package dev.cachet.llm.langchain4j;
