package dev.cachet.redis;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import dev.cachet.tier.Invalidation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A second JVM for {@link TwoProcessTest}, speaking line by line on stdin/stdout.
 *
 * <ul>
 *   <li>{@code bus URI PREFIX}: opens a bus, prints {@code ready}, then one {@code received ...}
 *       line per invalidation from other processes; a {@code publish-tag T} line on stdin
 *       publishes a tag invalidation. Ends when stdin closes.
 *   <li>{@code cachet URI PREFIX ARG}: prints {@code ready}, waits for {@code go}, then calls
 *       {@link #compute} memoized by a {@link Cachet} on Redis with {@code fleetSingleFlight}
 *       and prints {@code value V}.
 * </ul>
 */
public final class CoherenceChild {
  private CoherenceChild() {
  }

  /** Runs one of the modes above. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8));
    CoherenceSettings settings = CoherenceSettings.defaults().prefix(args[2]);
    switch (args[0]) {
      case "bus" -> {
        try (RedisInvalidationBus bus = RedisInvalidationBus.open(args[1], settings)) {
          bus.subscribe(i -> out.println("received " + describe(i)));
          out.println("ready " + bus.origin());
          String line;
          while ((line = in.readLine()) != null) {
            if (line.startsWith("publish-tag ")) {
              bus.publishAsync(Invalidation.tag(line.substring(12), "from the child")).get();
              out.println("published");
            }
          }
        }
      }
      case "cachet" -> {
        Computations counter = new Computations(args[1], args[2]);
        try (counter; Cachet cachet = Cachet.builder().redis(args[1] + "&prefix=" + args[2])
            .build()) {
          MemoizedFunction<String, String> f = memoized(cachet);
          out.println("ready");
          if (!"go".equals(in.readLine())) {
            throw new IllegalStateException("expected go");
          }
          out.println("value " + f.apply(args[3]));
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /** The memoized function every process of the test uses (one namespace for all of them). */
  static MemoizedFunction<String, String> memoized(Cachet cachet) {
    return cachet.function("fleet-compute").version("1")
        .fleetSingleFlight(Duration.ofSeconds(10)).memoize(CoherenceChild::compute);
  }

  /** Where {@link #compute} counts its runs: {@code PREFIX:computations} in Redis. */
  static final class Computations implements AutoCloseable {
    static volatile Computations current;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String key;

    Computations(String uri, String prefix) {
      this.client = RedisClient.create(uri);
      this.connection = client.connect();
      this.key = prefix + ":computations";
      current = this;
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /** The expensive computation: counted in Redis across processes, and slow enough to overlap. */
  static String compute(String arg) {
    Computations c = Computations.current;
    c.connection.sync().incr(c.key);
    try {
      // Long enough that every process asks while the first still computes.
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return arg.toUpperCase(java.util.Locale.ROOT) + " by " + ProcessHandle.current().pid();
  }

  /** One line that the parent parses: scope, namespace, digest, tag, origin, then the reason. */
  static String describe(Invalidation i) {
    return i.scope() + " " + i.namespace() + " " + i.digest() + " " + i.tag() + " " + i.origin()
        + " " + i.reason();
  }
}
