package dev.cachet.memo;

/** Stands for a cached null result, because stores hold no nulls. */
enum NullValue {
  INSTANCE;

  @Override
  public String toString() {
    return "null";
  }
}
