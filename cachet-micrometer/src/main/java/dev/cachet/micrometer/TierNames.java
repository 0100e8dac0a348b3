package dev.cachet.micrometer;

import java.util.regex.Pattern;

/**
 * Turns a tier's description ({@code Store.describe()}, the keys of
 * {@code CacheStats.hitsByTier()}) into a tag value. Tag values end up in monitoring systems that
 * many people can read, so the user information of any URI in the description is removed: a
 * custom store that echoes {@code redis://user:secret@host} must not publish its password.
 */
final class TierNames {
  /** The name {@code CacheStats.hitsByTier()} gives the in-memory tier, above every store. */
  static final String MEMORY = "memory";

  /** {@code scheme://userinfo@}: the user information runs to the first '@' before any '/'. */
  private static final Pattern USER_INFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]*@");

  private TierNames() {
  }

  /**
   * The tag value for a tier.
   *
   * @param description the tier's description; null gives {@code "unknown"}
   * @return the description without any URI user information
   */
  static String tagValue(String description) {
    if (description == null) {
      return "unknown";
    }
    return USER_INFO.matcher(description).replaceAll("$1");
  }
}
