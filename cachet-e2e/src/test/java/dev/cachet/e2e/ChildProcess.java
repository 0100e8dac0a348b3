package dev.cachet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a test program in a new JVM on the test class path and returns what it printed. */
final class ChildProcess {
  private static final long TIMEOUT_SECONDS = 120;

  private ChildProcess() {
  }

  /** Runs {@code main} to completion (at most two minutes) and returns its output. */
  static String run(Path workDir, Class<?> main, String... args)
      throws IOException, InterruptedException {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xmx256m", "-cp", classpath, main.getName()));
    command.addAll(List.of(args));
    Path output = workDir.resolve("child-" + System.nanoTime() + ".out");
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean done = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!done) {
      process.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(done).as("child finished within %d s; it printed:%n%s", TIMEOUT_SECONDS, printed)
        .isTrue();
    assertThat(process.exitValue()).as("child's exit code; it printed:%n%s", printed).isZero();
    return printed;
  }
}
