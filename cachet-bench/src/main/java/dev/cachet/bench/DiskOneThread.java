package dev.cachet.bench;

/** {@link DiskBenchmark} on one thread. */
public class DiskOneThread extends DiskBenchmark {
}
