package dev.cachet.cli.simulate;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of replaying one trace through several policies at several sizes.
 *
 * @param traceName the trace's name
 * @param accesses the number of accesses replayed per policy and size
 * @param distinctKeys the number of different keys in the trace
 * @param policies the policies, in the order asked for
 * @param sizes the cache sizes, in the order asked for
 * @param hits hits by policy, then by size, in the order of {@code sizes}
 */
public record SimulationResult(
    String traceName,
    long accesses,
    long distinctKeys,
    List<SimulatedPolicy> policies,
    List<Integer> sizes,
    Map<SimulatedPolicy, long[]> hits) {

  /** Copies everything given and checks that every policy has one count per size. */
  public SimulationResult {
    Objects.requireNonNull(traceName, "traceName");
    policies = List.copyOf(policies);
    sizes = List.copyOf(sizes);
    hits = deepCopy(hits);
    for (SimulatedPolicy p : policies) {
      long[] row = hits.get(p);
      if (row == null || row.length != sizes.size()) {
        throw new IllegalArgumentException("no result for every size of " + p);
      }
    }
  }

  /** Hits by policy, then by size in the order of {@link #sizes()}; a copy, free to modify. */
  @Override
  public Map<SimulatedPolicy, long[]> hits() {
    return deepCopy(hits);
  }

  private static Map<SimulatedPolicy, long[]> deepCopy(Map<SimulatedPolicy, long[]> hits) {
    Map<SimulatedPolicy, long[]> copy = new EnumMap<>(SimulatedPolicy.class);
    hits.forEach((p, row) -> copy.put(p, row.clone()));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * The hits of {@code policy} at {@code size}.
   *
   * @throws IllegalArgumentException when that combination was not simulated
   */
  public long hits(SimulatedPolicy policy, int size) {
    // The field, not the accessor: no need to copy every row to read one count.
    long[] row = this.hits.get(policy);
    int column = sizes.indexOf(size);
    if (row == null || column < 0) {
      throw new IllegalArgumentException(policy + " at size " + size + " was not simulated");
    }
    return row[column];
  }

  /** The hit ratio of {@code policy} at {@code size}, in percent (0 to 100). */
  public double hitRatioPercent(SimulatedPolicy policy, int size) {
    return accesses == 0 ? 0 : 100.0 * hits(policy, size) / accesses;
  }
}
