package dev.cachet.llm.semantic.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.llm.LlmCache;
import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.Lookup;
import dev.cachet.redis.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LlmCache}s in different processes sharing one Redis: a removal (or a correction) in
 * one reaches the memory and the vector index of the others, through the Redis tier's
 * invalidation bus. Each process has its own memory tier, so without the bus the other keeps
 * serving what it already read.
 */
class LlmCoherenceTest {
  private static final String ORIGINAL = "How do I reverse a list in Python?";
  private static final String PARAPHRASE = "What's the way to reverse a Python list?";

  private String prefix;
  private String storeUri;
  private final List<AutoCloseable> closeLast = new ArrayList<>();

  static LlmRequest ask(String prompt) {
    return LlmRequest.builder("m").system("Be terse.").user(prompt).temperature(0.0).build();
  }

  @BeforeEach
  void prefix() {
    String uri = LocalRedis.uri();
    prefix = "cachet-llm-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    // A generous timeout: a cold JVM's first commands on a loaded machine can be slow.
    storeUri = uri + "?timeout=5s&prefix=" + prefix;
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = closeLast.size() - 1; i >= 0; i--) {
      closeLast.get(i).close();
    }
    RedisClient client = RedisClient.create(LocalRedis.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(c.sync(), ScanArgs.Builder.matches(prefix + "*").limit(500))
          .forEachRemaining(keys::add);
      if (!keys.isEmpty()) {
        c.sync().unlink(keys.toArray(new String[0]));
      }
    } finally {
      client.shutdown();
    }
  }

  private Cachet cachet() {
    Cachet cachet = Cachet.builder().redis(storeUri).build();
    closeLast.add(cachet);
    return cachet;
  }

  @Test
  void deletingAWrongSemanticAnswerInOneProcessStopsTheOtherServingIt() throws Exception {
    Child other = new Child(storeUri);
    other.await("ready");
    LlmCache here = LlmCache.builder(cachet()).semantic().build();
    here.chat(ask(ORIGINAL), r -> LlmResponse.text("a wrong answer"));

    // The other process finds it in Redis, then serves it from its own memory and index.
    for (int i = 0; i < 2; i++) {
      assertThat(other.lookup(PARAPHRASE)).startsWith("lookup SEMANTIC_HIT ")
          .endsWith(" a wrong answer");
    }

    Lookup wrong = here.lookup(ask(PARAPHRASE));
    assertThat(wrong.outcome()).isEqualTo(Lookup.Outcome.SEMANTIC_HIT);
    assertThat(here.invalidate(wrong.entryId())).isTrue();

    String seen = other.lookup(PARAPHRASE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!seen.startsWith("lookup MISS ") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      seen = other.lookup(PARAPHRASE);
    }
    assertThat(seen).as("the other process stopped serving the deleted semantic answer")
        .startsWith("lookup MISS ");
    assertThat(other.lookup(ORIGINAL)).as("nor the exact one").startsWith("lookup MISS ");
  }

  @Test
  void aCorrectionInOneProcessReplacesTheAnswerTheOtherHeldInMemory() throws Exception {
    LlmCache first = LlmCache.builder(cachet()).build();
    LlmCache second = LlmCache.builder(cachet()).build();
    first.chat(ask(ORIGINAL), r -> LlmResponse.text("a wrong answer"));
    assertThat(second.lookup(ask(ORIGINAL)).response().content()).isEqualTo("a wrong answer");

    assertThat(first.put(ask(ORIGINAL), LlmResponse.text("reversed(xs)")).stored()).isTrue();
    String seen = second.lookup(ask(ORIGINAL)).response().content();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!seen.equals("reversed(xs)") && System.nanoTime() < deadline) {
      Thread.sleep(20);
      seen = second.lookup(ask(ORIGINAL)).response().content();
    }
    assertThat(seen).isEqualTo("reversed(xs)");

    assertThat(first.invalidate(ask(ORIGINAL))).isTrue();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (second.lookup(ask(ORIGINAL)).isHit() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(second.lookup(ask(ORIGINAL)).outcome()).isEqualTo(Lookup.Outcome.MISS);
  }

  /** The other process: {@link LlmCoherenceChild} on the test class path. */
  private final class Child implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder transcript = new StringBuilder();

    Child(String uri) throws IOException {
      String classpath = System.getProperty("surefire.test.class.path",
          System.getProperty("java.class.path"));
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", classpath,
          LlmCoherenceChild.class.getName(), uri).redirectErrorStream(true).start();
      closeLast.add(this);
      stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      // Read on a thread of its own, so a child that prints a lot never blocks on its pipe.
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
        } catch (IOException ignored) {
          // The child is gone.
        }
      }, "llm-child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    /** The child's answer to a lookup of {@code prompt}. */
    String lookup(String prompt) throws Exception {
      stdin.write("lookup " + prompt + "\n");
      stdin.flush();
      return await("lookup ");
    }

    /** The next line starting with {@code start}, skipping log lines; fails after 60 s. */
    String await(String start) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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

    @Override
    public void close() throws Exception {
      stdin.close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
