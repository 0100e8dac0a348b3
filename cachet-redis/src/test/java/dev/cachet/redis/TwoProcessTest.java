package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.Invalidation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invalidation and fleet single-flight between this JVM and child JVMs (CoherenceChild). */
class TwoProcessTest {
  private CoherenceTestRedis redis;
  private final List<Child> children = new ArrayList<>();

  @BeforeEach
  void connect() {
    redis = CoherenceTestRedis.local();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Child c : children) {
      c.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** A child JVM on the test class path, its stdout read line by line by a thread of its own. */
  private final class Child implements AutoCloseable {
    final Process process;
    final Writer stdin;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuilder transcript = new StringBuilder();

    Child(String... args) throws Exception {
      String classpath = System.getProperty("surefire.test.class.path",
          System.getProperty("java.class.path"));
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // A short-lived child: C1 only and a small heap start fastest on a shared machine.
          "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx128m", "-cp", classpath,
          CoherenceChild.class.getName()));
      command.addAll(List.of(args));
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            synchronized (transcript) {
              transcript.append(line).append('\n');
            }
            lines.add(line);
          }
        } catch (java.io.IOException ignored) {
          // The child is gone.
        }
      }, "child-stdout");
      reader.setDaemon(true);
      reader.start();
      children.add(this);
    }

    /** The next line starting with {@code start}, skipping log lines; fails after 20 s. */
    String await(String start) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith(start)) {
          return line;
        }
        if (line == null && !process.isAlive() && lines.isEmpty()) {
          break;
        }
      }
      synchronized (transcript) {
        throw new AssertionError("The child did not print '" + start + "...'; it printed:\n"
            + transcript);
      }
    }

    void send(String line) throws java.io.IOException {
      stdin.write(line + "\n");
      stdin.flush();
    }

    @Override
    public void close() {
      try {
        stdin.close();
      } catch (java.io.IOException ignored) {
        // Already gone.
      }
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void invalidationsCrossBetweenProcessesBothWays() throws Exception {
    Child child = new Child("bus", redis.uri, redis.prefix);
    String childOrigin = child.await("ready ").substring(6);
    try (RedisInvalidationBus bus = RedisInvalidationBus.open(redis.uri, redis.settings())) {
      BlockingQueue<Invalidation> here = new LinkedBlockingQueue<>();
      bus.subscribe(here::add);

      bus.publish(Invalidation.key("fn:1:aa:bb", "3f2a", "invalidate"));
      bus.publish(Invalidation.namespace("fn:1:aa:bb", "cacheClear"));
      bus.publish(Invalidation.tag("tenant-42", "tenant deleted"));
      assertThat(child.await("received ")).isEqualTo("received KEY fn:1:aa:bb 3f2a null "
          + bus.origin() + " invalidate");
      assertThat(child.await("received ")).isEqualTo("received NAMESPACE fn:1:aa:bb null null "
          + bus.origin() + " cacheClear");
      assertThat(child.await("received ")).isEqualTo("received TAG null null tenant-42 "
          + bus.origin() + " tenant deleted");

      child.send("publish-tag from-child");
      Invalidation got = here.poll(10, TimeUnit.SECONDS);
      assertThat(got).isNotNull();
      assertThat(got.tag()).isEqualTo("from-child");
      assertThat(got.origin()).isEqualTo(childOrigin).isNotEqualTo(bus.origin());
      assertThat(bus.recent(10)).extracting(Invalidation::origin)
          .containsExactly(childOrigin, bus.origin(), bus.origin(), bus.origin());
    }
  }

  @Test
  void cachetComputesAMissingKeyOnceForTheFleet() throws Exception {
    List<Child> others = List.of(
        new Child("cachet", redis.uri, redis.prefix, "shared-arg"),
        new Child("cachet", redis.uri, redis.prefix, "shared-arg"));
    for (Child c : others) {
      c.await("ready");
    }
    CoherenceChild.Computations counter = new CoherenceChild.Computations(redis.uri,
        redis.prefix);
    try (counter; dev.cachet.Cachet cachet = dev.cachet.Cachet.builder()
            .redis(redis.storeUri).build()) {
      var f = CoherenceChild.memoized(cachet);
      for (Child child : others) {
        child.send("go");
      }
      String here = f.apply("shared-arg");
      List<String> values = new ArrayList<>(List.of(here));
      for (Child child : others) {
        values.add(child.await("value ").substring(6));
      }
      assertThat(values).as("every process got the one computed value").containsOnly(here);
      assertThat(redis.redis().get(redis.prefix + ":computations")).isEqualTo("1");
      assertThat(redis.keys(":lock:*")).isEmpty();
    }
  }
}
