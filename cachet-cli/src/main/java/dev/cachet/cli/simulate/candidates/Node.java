package dev.cachet.cli.simulate.candidates;

/**
 * One key in a {@link NodeDeque}, with the few per-entry fields the candidate policies need.
 * Fields are public to the package on purpose: the policies are tiny state machines and getters
 * would only hide which policy reads what.
 */
final class Node {
  final long key;
  Node prev;
  Node next;
  /** Which of its policy's queues holds the node; the meaning is the policy's own. */
  int queue;
  /** A small access counter or flag (SIEVE's visited bit, S3-FIFO's 2-bit frequency). */
  int freq;
  /** When the key was last accessed, in its policy's own clock ticks. */
  long stamp;
  /** Whether the node is only a ghost: its key is remembered but not cached. */
  boolean ghost;

  Node(long key) {
    this.key = key;
  }
}
