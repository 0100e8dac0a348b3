package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of the disk tier at the level users see it: a memoized call made by one run of a
 * program is a disk hit in the next run, in another JVM, with the same value.
 */
class RestartAcrossJvmsTest {
  @TempDir
  Path tmp;

  private String run(Path store, String... cities) throws IOException, InterruptedException {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-Dorg.sqlite.tmpdir=" + tmp, "-cp", classpath,
        MemoizeChild.class.getName(), store.toString()));
    command.addAll(List.of(cities));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void theSecondRunOfAProgramGetsTheFirstRunsResultsFromDisk() throws Exception {
    Path store = tmp.resolve("store");

    String first = run(store, "Lyon", "Oslo");
    assertThat(first).contains("computed 2");

    String second = run(store, "Lyon", "Oslo", "Quito");
    assertThat(second).contains("computed 1");
    assertThat(second).contains(
        "value Report[city=Lyon, population=4000, districts=[Lyon-north, Lyon-south]]");
    assertThat(second).contains("hitsByTier {memory=0, disk:" + store);
    assertThat(second).containsPattern("disk:[^=]+=2");
  }
}
