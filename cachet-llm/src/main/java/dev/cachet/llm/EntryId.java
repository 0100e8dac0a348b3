package dev.cachet.llm;

/**
 * What {@link Lookup#entryId()} names: the tenant, the exact key and the semantic partition
 * (null when the entry has none) of one stored answer, written {@code tenant/exact/partition}
 * with {@code -} for no partition. Callers keep these strings (the proxy hands them out), so
 * the format does not change.
 *
 * @param tenantDigest the tenant's digest
 * @param exact the exact key
 * @param partition the semantic partition's digest, or null
 */
record EntryId(String tenantDigest, String exact, String partition) {

  /**
   * Reads an id written by {@link #toString()}.
   *
   * @throws IllegalArgumentException when it is not one
   */
  static EntryId parse(String entryId) {
    String[] parts = entryId.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("Not an LLM cache entry id: " + entryId);
    }
    return new EntryId(parts[0], parts[1], parts[2].equals("-") ? null : parts[2]);
  }

  @Override
  public String toString() {
    return tenantDigest + "/" + exact + "/" + (partition == null ? "-" : partition);
  }
}
