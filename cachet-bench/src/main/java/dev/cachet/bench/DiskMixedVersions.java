package dev.cachet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Versions of what the mixed disk benchmark ran, for the report: a rerun months later must
 * be able to tell which Ehcache or SQLite produced a number.
 */
final class DiskMixedVersions {
  private DiskMixedVersions() {
  }

  /**
   * Ehcache's version, from the Maven metadata of the modules its jar bundles (the jar's own
   * manifest does not survive shading into benchmarks.jar).
   */
  static String ehcache() {
    return mavenVersion("org.ehcache.modules", "ehcache-core");
  }

  /** The sqlite-jdbc driver's version and the SQLite library it bundles. */
  static String sqlite() {
    String engine;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
      engine = rs.next() ? rs.getString(1) : "unknown";
    } catch (SQLException e) {
      engine = "unknown";
    }
    return "sqlite-jdbc " + mavenVersion("org.xerial", "sqlite-jdbc") + " (SQLite " + engine
        + ")";
  }

  /** The running JDK. */
  static String jdk() {
    return System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
        + ")";
  }

  private static String mavenVersion(String group, String artifact) {
    String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = DiskMixedVersions.class.getResourceAsStream(path)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
