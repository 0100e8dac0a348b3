package dev.cachet.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link HitPathBenchmark} on one thread: the uncontended cost of a hit. */
@Threads(1)
public class HitPathOneThread extends HitPathBenchmark {
}
