package dev.cachet.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link RedisBenchmark} on one thread. */
@Threads(1)
public class RedisOneThread extends RedisBenchmark {
}
