package dev.cachet.disk;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program run in a child JVM by {@link RestartAcrossJvmsTest}: memoizes a method reference
 * with a disk tier, calls it for the arguments given, and prints how many calls really ran and
 * where the hits came from, as a separate run of an application would.
 */
public final class MemoizeChild {
  static final AtomicInteger COMPUTED = new AtomicInteger();

  /** A result with nested structure, so the round trip through JSON is not trivial. */
  public record Report(String city, int population, List<String> districts) {
  }

  private MemoizeChild() {
  }

  /** The expensive function: its body is part of the cache's identity (code fingerprint). */
  static Report report(String city) {
    COMPUTED.incrementAndGet();
    return new Report(city, city.length() * 1000, List.of(city + "-north", city + "-south"));
  }

  /** Args: store directory, then the cities to ask for. */
  public static void main(String[] args) {
    try (Cachet cachet = Cachet.builder().disk(Path.of(args[0])).build()) {
      MemoizedFunction<String, Report> reports = cachet.memoize("reports",
          MemoizeChild::report);
      for (int i = 1; i < args.length; i++) {
        System.out.println("value " + reports.apply(args[i]));
      }
      System.out.println("computed " + COMPUTED.get());
      System.out.println("hitsByTier " + reports.stats().hitsByTier());
    }
  }
}
