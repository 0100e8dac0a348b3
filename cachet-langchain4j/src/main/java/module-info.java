/**
 * LangChain4j decorators over Cachet's LLM cache:
 * {@link dev.cachet.llm.langchain4j.CachingChatModel} and
 * {@link dev.cachet.llm.langchain4j.CachingStreamingChatModel}.
 */
// LangChain4j's core jar has no module name of its own (an automatic module named after its
// artifact); the decorators implement and wrap its ChatModel, hence the transitive requires.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cachet.llm.langchain4j {
  requires transitive dev.cachet.llm;
  requires transitive langchain4j.core;

  exports dev.cachet.llm.langchain4j;
}
