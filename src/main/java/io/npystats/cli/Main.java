package io.npystats.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The application's entry point, launched by {@code submit.sh} through {@code spark-submit}.
 * {@link #main} is the only place that exits; {@link #run} takes the arguments and the writers,
 * so tests drive the whole command line in-process.
 *
 * <p>Exit codes: 0 done, 1 the work failed (or some input files were refused; their rows say
 * why), 2 the command line was wrong; 128 + the signal's number (143 for SIGTERM, 130 for
 * SIGINT) when a signal ended it.
 */
@Command(
    name = "npystats",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Statistics of many numpy .npy files with Spark, threads and processes.",
    subcommands = {
      DemoCommand.class,
      CompareCommand.class,
      GenerateCommand.class,
      StatsCommand.class,
      SqlCommand.class,
      RunsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Signals.reportIn(err);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionStrategy(parseResult -> {
      SparkLogging.taskFailures(main.verbose);
      Signals.verbose(main.verbose);
      return new CommandLine.RunLast().execute(parseResult);
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (Signals.received() != null) {
        return FAILED; // the signal's own line is out already; Spark failing as it stops is no news
      }
      String message = Failures.describe(e);
      if (main.verbose) {
        err.println("error: " + message);
        e.printStackTrace(err);
      } else {
        // Spark puts the executor's whole stack trace into a failed job's message.
        err.println("error: " + message.lines().findFirst().orElse("")
            + (message.contains("\n") ? " (--verbose for details)" : ""));
      }
      return FAILED;
    });
    cli.setParameterExceptionHandler((e, args1) -> {
      CommandLine failed = e.getCommandLine();
      err.println("error: " + e.getMessage());
      err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
      return USAGE;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The version from the jar's manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"npystats " + (v == null ? "dev" : v)};
    }
  }
}
