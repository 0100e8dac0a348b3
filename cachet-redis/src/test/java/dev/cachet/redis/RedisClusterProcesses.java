package dev.cachet.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A Redis Cluster of the test's own: {@code n} masters ({@code redis-server --cluster-enabled
 * yes}) on free loopback ports, joined with {@code redis-cli --cluster create
 * --cluster-replicas 0}; ready once every node reports {@code cluster_state:ok}. Closing kills
 * every node.
 */
final class RedisClusterProcesses implements AutoCloseable {
  final List<RedisServerProcess> nodes;

  private RedisClusterProcesses(List<RedisServerProcess> nodes) {
    this.nodes = nodes;
  }

  static RedisClusterProcesses start(int masters) {
    List<RedisServerProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        int index = nodes.size();
        nodes.add(RedisServerProcess.start("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes-" + index + ".conf",
            "--cluster-node-timeout", "3000"));
      }
      List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (RedisServerProcess node : nodes) {
        command.add("127.0.0.1:" + node.port());
      }
      command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      String output = run(command);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!allOk(nodes)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not reach cluster_state:ok; "
              + "redis-cli said: " + output);
        }
        Thread.sleep(100);
      }
      return new RedisClusterProcesses(nodes);
    } catch (RuntimeException | Error e) {
      nodes.forEach(RedisServerProcess::close);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      nodes.forEach(RedisServerProcess::close);
      throw new IllegalStateException(e);
    }
  }

  /** {@code redis://127.0.0.1:p1,127.0.0.1:p2,...}: every node as a seed. */
  String uri() {
    return "redis://" + nodes.stream().map(n -> "127.0.0.1:" + n.port())
        .collect(Collectors.joining(","));
  }

  private static boolean allOk(List<RedisServerProcess> nodes) {
    for (RedisServerProcess node : nodes) {
      String info = run(List.of("redis-cli", "-p", Integer.toString(node.port()), "cluster",
          "info"));
      if (!info.contains("cluster_state:ok")) {
        return false;
      }
    }
    return true;
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      if (LocalRedis.required()) {
        throw new AssertionError("CACHET_REQUIRE_REDIS=1 but " + command.get(0)
            + " could not be run: " + e.getMessage(), e);
      }
      Assumptions.abort(command.get(0) + " is not installed: " + e.getMessage());
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    nodes.forEach(RedisServerProcess::close);
  }
}
