package dev.cachet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The root {@code cachet} command. It does nothing by itself: each task is a subcommand, declared
 * in {@link Command#subcommands()} below and implemented by its own class.
 */
@Command(
    name = "cachet",
    mixinStandardHelpOptions = true,
    versionProvider = CachetCommand.Version.class,
    description = "Memoization and caching for the JVM: try it, and measure its policies.",
    subcommands = {DemoCommand.class, SimulateCommand.class, StatsCommand.class,
        InspectCommand.class, ClearCommand.class, CheckCommand.class, InvalidateCommand.class,
        AuditCommand.class, ServeCommand.class, EvalCommand.class, HelpCommand.class},
    footer = {"", "Start with: cachet demo"})
public final class CachetCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    quietLibraryLogging();
    System.exit(newCommandLine().execute(args));
  }

  /**
   * Loggers of libraries whose routine chatter would bury the command's own output: the
   * embedding runtime's GPU probe and platform notes, and Lettuce's reconnection notices (the
   * Redis tier logs its own outages once). Kept here so java.util.logging does not drop the
   * settings with the loggers, which it holds only weakly.
   */
  private static final java.util.List<java.util.logging.Logger> QUIETED = new java.util.ArrayList<>();

  private static void quietLibraryLogging() {
    for (String name : java.util.List.of("ai.djl", "io.lettuce.core.protocol", "io.netty")) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      logger.setLevel(java.util.logging.Level.SEVERE);
      QUIETED.add(logger);
    }
  }

  /**
   * A command line for {@code cachet} with every setting the real program uses. Tests run it
   * with {@link CommandLine#execute} after redirecting its output with
   * {@link CommandLine#setOut} and {@link CommandLine#setErr}.
   */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new CachetCommand());
    // Set after construction so the setting reaches every subcommand already registered.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(CachetCommand::handleExecutionException);
    cl.setParameterExceptionHandler(CachetCommand::handleParameterException);
    return cl;
  }

  /** Without a subcommand there is nothing to do: say so and show the usage. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "Missing subcommand. New here? Start with 'cachet demo'.");
  }

  /**
   * Shows a mistake on the command line as one clear message and a pointer to the help, rather
   * than picocli's default of repeating the whole usage text, which buries the message.
   */
  private static int handleParameterException(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getColorScheme().errorText(e.getMessage()));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
      if (cl.getParent() == null) {
        // At the root, the usage is short and lists the commands: the most useful answer.
        cl.usage(err, cl.getColorScheme());
        return CommandLine.ExitCode.USAGE;
      }
    }
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  private static int handleExecutionException(Exception e, CommandLine cl,
      CommandLine.ParseResult parsed) throws Exception {
    if (e instanceof UserError) {
      // The user can fix this; a stack trace would only hide the message.
      cl.getErr().println(cl.getColorScheme().errorText(
          cl.getCommandSpec().qualifiedName() + ": " + e.getMessage()));
      cl.getErr().flush();
      return CommandLine.ExitCode.USAGE;
    }
    throw e;
  }

  /** Reports the version of the jar, or says that this is a development build. */
  static final class Version implements CommandLine.IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.cachet/cachet-cli/pom.properties";

    @Override
    public String[] getVersion() {
      return new String[] {
          "cachet " + version(),
          "Java " + System.getProperty("java.version") + " ("
              + System.getProperty("java.vendor") + ")"};
    }

    private static String version() {
      // The shaded jar keeps Maven's pom.properties; class folders (tests, IDEs) have neither it
      // nor a manifest version.
      try (InputStream in = CachetCommand.class.getResourceAsStream(POM_PROPERTIES)) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          String v = p.getProperty("version");
          if (v != null && !v.isBlank()) {
            return v;
          }
        }
      } catch (IOException ignored) {
        // Fall through to the manifest.
      }
      String v = CachetCommand.class.getPackage().getImplementationVersion();
      return v != null ? v : "(development build)";
    }
  }
}
