package dev.cachet.llm.proxy;

import java.net.URI;

/** Removes secrets from what the proxy shows: error bodies, logs, startup lines. */
final class Redaction {
  private Redaction() {
  }

  /**
   * The URI without its user information: {@code https://user:password@host/v1} is shown as
   * {@code https://***@host/v1}, so a password in the upstream URL never reaches a client or a
   * log.
   */
  static String uri(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    String text = uri.toString();
    return text.replace(uri.getRawUserInfo() + "@", "***@");
  }

  /** A message that may quote the URI (an exception's, say), with its user information hidden. */
  static String message(String message, URI uri) {
    if (message == null || uri.getRawUserInfo() == null) {
      return message;
    }
    return message.replace(uri.getRawUserInfo() + "@", "***@")
        .replace(uri.getRawUserInfo(), "***");
  }
}
