package dev.cachet.llm.proxy;

/**
 * Entry ids as clients see them: the library's ids separate their parts with {@code /}, which
 * cannot stand in one path segment of {@code DELETE /v1/cachet/entries/<id>}, so the proxy
 * shows them with {@code .} (the parts are hex digests or {@code -}, never a dot).
 */
final class EntryIds {
  private EntryIds() {
  }

  static String shown(String entryId) {
    return entryId.replace('/', '.');
  }

  static String internal(String shown) {
    return shown.replace('.', '/');
  }
}
