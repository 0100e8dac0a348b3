package dev.cachet.cli;

import dev.cachet.redis.RedisCoherence;
import dev.cachet.redis.RedisInvalidationBus;
import dev.cachet.redis.RedisStore;
import dev.cachet.redis.RedisStoreException;
import dev.cachet.redis.RedisStoreOptions;
import dev.cachet.tier.Invalidation;
import io.lettuce.core.RedisException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A Redis store and its invalidation bus, opened for one CLI command with {@code --redis URI}.
 * Strict: Redis trouble is an error the user sees (a cache library would degrade to a miss; a
 * command that did nothing must say so).
 */
final class RedisTarget implements AutoCloseable {
  final RedisStore store;
  private RedisCoherence coherence;

  private RedisTarget(RedisStore store) {
    this.store = store;
  }

  /**
   * Checks that a store command got exactly one of a directory and {@code --redis}.
   *
   * @throws CommandLine.ParameterException naming the choice otherwise
   */
  static void requireOneTarget(CommandSpec spec, Path dir, String redis) {
    if (dir == null && redis == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Missing the store: give a disk store directory (DIR) or --redis URI.");
    }
    if (dir != null && redis != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Give either a disk store directory (" + dir + ") or --redis " + redis
              + ", not both.");
    }
  }

  /**
   * Connects to the Redis store at {@code uri}.
   *
   * @throws UserError when the URI is malformed or Redis cannot be reached, saying which
   */
  static RedisTarget open(String uri) {
    try {
      return new RedisTarget(RedisStore.open(RedisStoreOptions.builder(uri).strict(true)
          .build()));
    } catch (IllegalArgumentException | RedisStoreException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** Runs a store operation, turning Redis trouble into a message for the user. */
  <T> T call(String what, Function<RedisStore, T> operation) {
    try {
      return operation.apply(store);
    } catch (RedisStoreException | IllegalStateException | RedisException e) {
      throw new UserError("Could not " + what + " on " + store.describe() + ": "
          + e.getMessage(), e);
    }
  }

  /** The bus, writing {@code pid@host/cli-XXXX} as the origin so the audit log shows the CLI. */
  RedisInvalidationBus bus() {
    return coherence().bus();
  }

  /** The bus and fleet locks over the store's connections, opened on first use. */
  RedisCoherence coherence() {
    if (coherence == null) {
      String id = "cli-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
      try {
        coherence = RedisCoherence.forStore(store, id);
      } catch (IllegalStateException e) {
        throw new UserError(e.getMessage(), e);
      }
    }
    return coherence;
  }

  /**
   * Publishes on the bus and waits until Redis has logged it.
   *
   * @return the log entry's id
   * @throws UserError when it could not be published
   */
  String publish(Invalidation invalidation) {
    try {
      return bus().publishAsync(invalidation).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("Interrupted before the invalidation was published.", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new UserError("The entries were removed from Redis, but telling the other "
          + "processes failed (" + cause + "); they may serve their local copies until those "
          + "expire. Run the command again to retry.", cause);
    }
  }

  /** Where, for messages: the URI without its password, and the prefix. */
  String describe() {
    return store.describe();
  }

  @Override
  public void close() {
    if (coherence != null) {
      coherence.close();
    }
    store.close();
  }
}
