package dev.cachet.redis;

import static dev.cachet.redis.RedisStoreTest.digest;
import static dev.cachet.redis.RedisStoreTest.frame;
import static dev.cachet.redis.RedisStoreTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passwords, ACL users and TLS against redis-servers of the test's own. */
class RedisAuthTlsTest {

  @Test
  void aclUserAndPassword() {
    try (RedisServerProcess server = RedisServerProcess.start("--requirepass", "s3cret",
        "--user", "alice", "on", ">wonder land", "~*", "&*", "+@all")) {
      String hostPort = "127.0.0.1:" + server.port();
      try (RedisStore store = RedisStore.open("redis://alice:wonder%20land@" + hostPort)) {
        String d = digest();
        store.put("ns", d, frame("acl", 0, List.of("t")), 0, List.of("t"));
        assertThat(text(store.get("ns", d))).isEqualTo("acl");
        assertThat(store.removeTag("t")).isEqualTo(1);
      }
      try (RedisStore store = RedisStore.open("redis://:s3cret@" + hostPort)) {
        String d = digest();
        store.put("ns", d, frame("default user", 0, List.of()), 0, List.of());
        assertThat(text(store.get("ns", d))).isEqualTo("default user");
      }
      assertThatThrownBy(() -> RedisStore.open("redis://alice:wrong@" + hostPort))
          .isInstanceOf(RedisStoreException.class)
          .hasMessageContaining("refused the credentials")
          .hasMessageContaining("redis://user:password@host:6379")
          .hasMessageNotContaining("wrong");
    }
  }

  @Test
  void tls(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    selfSigned(cert, key);
    RedisServerProcess tlsServer;
    try {
      tlsServer = RedisServerProcess.startTls(cert, key);
    } catch (IllegalStateException e) {
      // redis-server built without TLS (BUILD_TLS=no) rejects the tls-* options.
      Assumptions.abort("redis-server cannot serve TLS here: " + e.getMessage());
      return;
    }
    try (RedisServerProcess server = tlsServer) {
      String hostPort = "127.0.0.1:" + server.port();
      // A self-signed certificate: accepted only when told not to verify the peer.
      try (RedisStore store = RedisStore.open("rediss://" + hostPort + "?verifyPeer=none")) {
        String d = digest();
        store.put("ns", d, frame("over tls", 0, List.of()), 0, List.of());
        assertThat(text(store.get("ns", d))).isEqualTo("over tls");
        assertThat(store.describe()).startsWith("redis:rediss://");
      }
      // Verified by default: the JVM does not trust it, so strict mode refuses to open...
      assertThatThrownBy(() -> RedisStore.open("rediss://" + hostPort + "?strict=true"))
          .isInstanceOf(RedisStoreException.class)
          .hasMessageContaining("Cannot connect");
      // ...and a plain-text client cannot talk to a TLS port: misses, no exception.
      try (RedisStore plain = RedisStore.open("redis://" + hostPort + "?connectTimeout=500ms")) {
        assertThat(plain.get("ns", digest())).isNull();
      }
    }
  }

  private static void selfSigned(Path cert, Path key) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
          "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
          "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("openssl is not installed, cannot make a test certificate: " + e);
      return;
    }
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.exists(cert)).as("openssl made a certificate").isTrue();
  }
}
