package dev.cachet.cli;

import dev.cachet.cli.demo.Demo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cachet demo}: a guided tour of memoization with Cachet, in a few seconds. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Shows Cachet at work in six short scenes: a recursive function, a slow call,"
        + " entries that expire, a memoized interface, results that survive a restart, and LLM"
        + " calls cached exactly and by meaning.")
public final class DemoCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--store", paramLabel = "DIR",
      description = "Where the persistence scene keeps its disk store between runs."
          + " Default: a cachet-demo folder in the temporary directory.")
  Path store;

  /** Plays the demo on this command line's standard output. */
  @Override
  public Integer call() {
    // The demo writes to a PrintStream; routing it into picocli's writer keeps the output
    // wherever the command line was told to send it (a test's buffer, say).
    try (PrintStream out = new PrintStream(
        new WriterOutputStream(spec.commandLine().getOut(), StandardCharsets.UTF_8), true,
        StandardCharsets.UTF_8)) {
      new Demo(out, store != null ? store : Demo.defaultStoreDirectory()).run();
    }
    return CommandLine.ExitCode.OK;
  }
}
