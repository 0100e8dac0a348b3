package dev.cachet.memory;

/**
 * The entries of an {@link LfuOrder} that share one access count, oldest access at the front,
 * and the links to the neighbouring buckets of lower and higher counts.
 */
final class FrequencyBucket extends NodeDeque.InPolicyOrder {
  /** Reads and writes since insertion of every entry in this bucket; at least 1. */
  long count;

  /** The bucket with the next lower count, or null for the lowest. */
  FrequencyBucket lower;

  /** The bucket with the next higher count, or null for the highest. */
  FrequencyBucket higher;
}
