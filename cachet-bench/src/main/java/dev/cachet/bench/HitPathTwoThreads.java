package dev.cachet.bench;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link HitPathBenchmark} on two threads (all cores of the reference machine): what a hit costs
 * when readers contend for the same cache, where per-read locking shows.
 */
@Threads(2)
public class HitPathTwoThreads extends HitPathBenchmark {
}
