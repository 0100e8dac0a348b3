package dev.cachet.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link RedisBenchmark} on two threads (all cores of the reference machine). */
@Threads(2)
public class RedisTwoThreads extends RedisBenchmark {
}
