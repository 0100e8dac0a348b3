package dev.cachet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the mixed disk benchmark's Java harness at a tiny size (2,000 keys, a few hundred
 * operations per stream), so that a change which breaks it fails the build rather than the
 * next 13-minute run. Checks bookkeeping only, never speed: every operation counted, no
 * misses or errors, stores closed and deleted.
 */
class DiskMixedSmokeTest {
  private static final int KEYS = 2_000;
  private static final int STREAM_OPS = 300;

  @TempDir
  Path tmp;

  private DiskMixedBenchmark.Config config(List<DiskMixedCell> cells) {
    // A cap no tiny stream reaches: every worker replays its stream whole. No warm-up.
    return new DiskMixedBenchmark.Config(tmp, tmp.resolve("ops.bin"), KEYS, STREAM_OPS, 200,
        7, 120, 0, DiskMixedContender.NAMES, cells, List.of("-Xmx256m"), false, true);
  }

  @Test
  void inProcessCellsCountEveryOperationForCachetAndEhcache() throws Exception {
    List<DiskMixedCell> cells = Arrays.stream(DiskMixedCell.values())
        .filter(c -> !c.processes()).toList();
    DiskMixedResults.Run run = DiskMixedBenchmark.run(config(cells));

    assertThat(run.contenders()).extracting(DiskMixedResults.Contender::name)
        .containsExactly("cachet-default", "cachet-lru", "cachet-power-loss", "ehcache");
    for (DiskMixedResults.Contender c : run.contenders()) {
      assertThat(c.error()).as(c.name()).isNull();
      assertThat(c.closed()).as(c.name() + " closed").isTrue();
      assertThat(c.failures()).as(c.name()).isZero();
      if (c.name().equals("cachet-lru") || c.name().equals("cachet-power-loss")) {
        // Starts from a copy of cachet-default's populated store; its cells' zero misses
        // below show that every key made it.
        assertThat(c.populate().skipped()).startsWith("copied from cachet-default");
      } else {
        assertThat(c.populate().ops()).isEqualTo(KEYS);
        assertThat(c.populate().sets()).isEqualTo(KEYS);
        assertThat(c.populate().errors()).isZero();
      }
      assertThat(c.cells()).extracting(DiskMixedResults.Cell::cell)
          .containsExactlyElementsOf(cells.stream().map(DiskMixedCell::id).toList());
      for (DiskMixedResults.Cell r : c.cells()) {
        DiskMixedCell cell = DiskMixedCell.byId(r.cell());
        String what = c.name() + " " + r.cell();
        assertThat(r.ops()).as(what).isEqualTo((long) STREAM_OPS * cell.streams().size());
        assertThat(r.gets() + r.sets()).as(what).isEqualTo(r.ops());
        assertThat(r.misses()).as(what + " misses").isZero();
        assertThat(r.errors()).as(what + " errors: " + r.firstError()).isZero();
        assertThat(r.opsPerSec()).as(what).isPositive();
        assertThat(r.skipped()).isNull();
        assertThat(r.failed()).isNull();
        assertSanePercentiles(what + " get", r.gets(), r.getP50Us(), r.getP99Us());
        assertSanePercentiles(what + " set", r.sets(), r.setP50Us(), r.setP99Us());
      }
      assertThat(cell(c, "read-1t").sets()).isZero();
      assertThat(cell(c, "write-1t").gets()).isZero();
    }
    // The stores are gone; the operation file stays for the Python side.
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ops.bin");
    }

    // The report renders from these results alone (diskcache's columns then read n/a) and
    // leaves the rest of RESULTS.md alone.
    Path json = tmp.resolve("java.json");
    DiskMixedResults.write(run, json);
    Path results = tmp.resolve("RESULTS.md");
    Files.writeString(results, "# Results\n\n<!-- other:start -->\nkept\n<!-- other:end -->\n");
    DiskMixedReport.main(new String[] {"--json", json.toString(), "--results",
        results.toString()});
    String md = Files.readString(results);
    assertThat(md).startsWith("# Results\n\n<!-- other:start -->\nkept\n<!-- other:end -->\n")
        .contains("<!-- disk-mixed:start -->", "<!-- disk-mixed:end -->",
            "### Target verdicts", "### `mix95-2t`", "| `ehcache` |");
  }

  @Test
  void twoProcessesShareCachetsStoreButNotEhcaches() throws Exception {
    DiskMixedBenchmark.Config base = config(List.of(DiskMixedCell.MIX50_2P));
    DiskMixedBenchmark.Config config = new DiskMixedBenchmark.Config(base.work(),
        base.opsFile(), base.keys(), base.streamOps(), base.warmupOps(), base.seed(),
        base.cellSeconds(), base.warmupSeconds(), List.of("cachet-default", "ehcache"),
        base.cells(), base.workerJvmArgs(), false, true);
    DiskMixedResults.Run run = DiskMixedBenchmark.run(config);

    DiskMixedResults.Contender cachet = run.contenders().get(0);
    assertThat(cachet.error()).isNull();
    assertThat(cachet.closed()).isTrue();
    DiskMixedResults.Cell shared = cell(cachet, "mix50-2p");
    assertThat(shared.failed()).as("worker failure").isNull();
    assertThat(shared.ops()).isEqualTo(2L * STREAM_OPS);
    assertThat(shared.gets() + shared.sets()).isEqualTo(shared.ops());
    assertThat(shared.misses()).isZero();
    assertThat(shared.errors()).isZero();
    assertThat(shared.processes()).isTrue();

    DiskMixedResults.Contender ehcache = run.contenders().get(1);
    assertThat(ehcache.multiProcess()).isFalse();
    assertThat(cell(ehcache, "mix50-2p").skipped()).contains("single-process only")
        .containsIgnoringCase("locked");
  }

  @Test
  void operationFileRoundTripsAndIsSkewed() throws IOException {
    DiskMixedOps ops = DiskMixedOps.generate(KEYS, 20_000, 100, 11);
    Path file = tmp.resolve("ops.bin");
    ops.write(file);
    DiskMixedOps back = DiskMixedOps.read(file);
    assertThat(back.keyCount()).isEqualTo(KEYS);
    assertThat(back.streamNames()).containsExactlyElementsOf(ops.streamNames());
    for (String name : ops.streamNames()) {
      assertThat(back.stream(name)).as(name).isEqualTo(ops.stream(name));
    }
    for (int v = 0; v < ops.valueVariants(); v++) {
      assertThat(back.value(v)).hasSize(DiskMixedOps.VALUE_BYTES).isEqualTo(ops.value(v));
    }
    int[] populate = ops.stream(DiskMixedOps.POPULATE);
    assertThat(Arrays.stream(populate).map(op -> op & DiskMixedOps.KEY_MASK).sorted()
        .toArray()).isEqualTo(IntStream.range(0, KEYS).toArray());
    assertThat(Arrays.stream(populate).allMatch(op -> op < 0)).isTrue();

    // Zipf(0.99) over 2,000 keys gives the hottest key about 12% of the draws; uniform
    // draws would give it 0.05%.
    Map<Integer, Integer> counts = new HashMap<>();
    int[] reads = ops.stream("read-0");
    for (int op : reads) {
      assertThat(op).isNotNegative();
      counts.merge(op & DiskMixedOps.KEY_MASK, 1, Integer::sum);
    }
    int hottest = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow()
        .getKey();
    assertThat(counts.get(hottest)).isBetween(reads.length / 10, reads.length / 7);
    long writes = Arrays.stream(ops.stream("mix95-0")).filter(op -> op < 0).count();
    assertThat(writes).isBetween(700L, 1300L); // 5% of 20,000
  }

  /**
   * The Python side reads the same file and writes results the report merges; skipped where
   * Debian's python3-diskcache is not installed (it is not a build dependency).
   */
  @Test
  void pythonSideReplaysTheSameFileWhenDiskcacheIsInstalled() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")));
    Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import diskcache")
        .redirectErrorStream(true).start();
    assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "python3-diskcache is not installed");
    Path script = Path.of("src/main/python/diskcache_mixed.py").toAbsolutePath();
    assumeTrue(Files.exists(script), "run from the module directory");

    DiskMixedOps ops = DiskMixedOps.generate(KEYS, STREAM_OPS, 100, 7);
    Path file = tmp.resolve("ops.bin");
    ops.write(file);
    Path json = tmp.resolve("python.json");
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--ops",
        file.toString(), "--work", tmp.resolve("py").toString(), "--json", json.toString(),
        "--contenders", "diskcache-default", "--cells", "mix95-1t,write-1t",
        "--cell-seconds", "120", "--warmup-seconds", "0")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("python.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("python.log"))).isZero();

    DiskMixedResults.Run run = DiskMixedResults.read(json);
    DiskMixedResults.Contender dc = run.contenders().get(0);
    assertThat(dc.error()).isNull();
    assertThat(dc.populate().ops()).isEqualTo(KEYS);
    DiskMixedResults.Cell mix = cell(dc, "mix95-1t");
    assertThat(mix.ops()).isEqualTo(STREAM_OPS);
    assertThat(mix.misses()).isZero();
    // Same file, same op types: the Python side counted exactly the sets the stream holds.
    long sets = Arrays.stream(ops.stream("mix95-0")).filter(op -> op < 0).count();
    assertThat(mix.sets()).isEqualTo(sets);
  }

  private static DiskMixedResults.Cell cell(DiskMixedResults.Contender c, String id) {
    return c.cells().stream().filter(x -> x.cell().equals(id)).findFirst().orElseThrow();
  }

  private static void assertSanePercentiles(String what, long count, Double p50, Double p99) {
    if (count == 0) {
      assertThat(p50).as(what).isNull();
      assertThat(p99).as(what).isNull();
    } else {
      assertThat(p50).as(what).isNotNull().isPositive();
      assertThat(p99).as(what).isGreaterThanOrEqualTo(p50);
    }
  }
}
