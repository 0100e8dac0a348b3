package dev.cachet.bench;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link DiskBenchmark} on two threads (all cores of the reference machine): reads in parallel
 * on pooled connections, and puts sharing group commits.
 */
@Threads(2)
public class DiskTwoThreads extends DiskBenchmark {
}
