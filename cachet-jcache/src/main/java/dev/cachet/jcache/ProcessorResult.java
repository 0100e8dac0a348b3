package dev.cachet.jcache;

import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/** The result of one key of {@code invokeAll}: a value, or the exception its processor threw. */
final class ProcessorResult<T> implements EntryProcessorResult<T> {
  private final T value;
  private final RuntimeException exception;

  private ProcessorResult(T value, RuntimeException exception) {
    this.value = value;
    this.exception = exception;
  }

  static <T> ProcessorResult<T> of(T value) {
    return new ProcessorResult<>(value, null);
  }

  static <T> ProcessorResult<T> failed(RuntimeException e) {
    return new ProcessorResult<>(null, e);
  }

  @Override
  public T get() {
    if (exception == null) {
      return value;
    }
    throw exception instanceof EntryProcessorException epe ? epe
        : new EntryProcessorException(exception);
  }
}
