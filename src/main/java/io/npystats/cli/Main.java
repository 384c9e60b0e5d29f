package io.npystats.cli;

import io.npystats.stats.StreamingStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
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
    synopsisHeading = "Usage: ",
    customSynopsis = "./submit.sh [SPARK_OPTIONS] [COMMAND [ARGS...]]",
    commandListHeading = "%nCommands (the default is demo):%n",
    footerHeading = "%n",
    footer = {
      "  cluster start|stop|status  A local standalone Spark cluster (scripts/cluster.sh).",
      "",
      "Spark options come before the command and are spark-submit's own, for example:",
      "  --master URL          Where to run (default: local[*,4], all cores, tasks tried 4 times).",
      "  --conf KEY=VALUE      Any Spark setting; conf/spark-defaults.conf holds the defaults.",
      "  --driver-memory SIZE  The driver's heap (default: 2g).",
      "  --executor-memory SIZE, --total-executor-cores N, --jars JARS, ...",
      "",
      "Tables go to ${sys:npystats.warehouse} unless --warehouse says otherwise.",
      "",
      "Examples:",
      "  ./submit.sh                                   the demo: generate, stats and compare",
      "  ./submit.sh generate --out data/files --files 2000",
      "  ./submit.sh stats --in data/files",
      "  ./submit.sh sql                               an SQL prompt over the tables",
      "  ./submit.sh --master spark://127.0.0.1:7077 stats --in data/files",
      "  ./submit.sh COMMAND --help                    a command's options and examples"
    },
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
    return execute(commandLine(out, err), args);
  }

  private static int execute(CommandLine cli, String[] args) {
    Main main = cli.getCommand();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    cli.setExecutionStrategy(parseResult -> {
      SparkLogging.taskFailures(main.verbose);
      Signals.verbose(main.verbose);
      try {
        StreamingStats.checkLanesChoice();
      } catch (IllegalArgumentException | IllegalStateException e) {
        err.println("error: " + e.getMessage());
        return USAGE;
      }
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
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The command line as users meet it, named {@code ./submit.sh} as they run it, with its help
   * and its one-line answer to a wrong argument; executing it is up to the caller.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    // Read by the help's ${sys:npystats.warehouse} and ${sys:npystats.files}: the absolute folders
    // the defaults resolve to, whatever the working directory.
    System.setProperty("npystats.warehouse", Defaults.warehouse());
    System.setProperty("npystats.files", Defaults.files());
    CommandLine cli = new CommandLine(new Main());
    cli.setCommandName("./submit.sh");
    cli.setOut(out);
    cli.setErr(err);
    cli.setUsageHelpAutoWidth(true);
    keepFootersUnwrapped(cli);
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new Version());
    }
    cli.setParameterExceptionHandler((e, args) -> {
      err.println("error: " + message(e));
      String spark = sparkOptionAfterCommand(e);
      if (spark != null) {
        err.println("Spark options such as " + spark + " go before the command: ./submit.sh "
            + spark + " ... " + e.getCommandLine().getCommandName() + " ...");
      }
      err.println(tryHelp(e.getCommandLine().getCommandSpec().qualifiedName()));
      err.flush();
      return USAGE;
    });
    return cli;
  }

  static String tryHelp(String qualifiedName) {
    return "Try '" + qualifiedName + " --help' for usage.";
  }

  /**
   * picocli's message, except for an unknown option: that one alone (what follows it is often its
   * value), and the options it resembles.
   */
  private static String message(CommandLine.ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
      for (String arg : unmatched.getUnmatched()) {
        if (arg.startsWith("-")) {
          String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
          return "unknown option '" + name + "'" + didYouMean(name,
              e.getCommandLine().getCommandSpec().optionsMap().keySet());
        }
      }
      List<String> commands = List.copyOf(e.getCommandLine().getSubcommands().keySet());
      if (!commands.isEmpty() && !unmatched.getUnmatched().isEmpty()) {
        String given = unmatched.getUnmatched().get(0);
        return "unknown command '" + given + "'" + didYouMean(given, commands);
      }
    }
    return e.getMessage();
  }

  static String didYouMean(String given, java.util.Collection<String> names) {
    List<String> close = Suggestions.closest(given, names);
    return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
  }

  /** A Spark option given after the command, where the command's parser cannot take it. */
  private static String sparkOptionAfterCommand(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)
        || e.getCommandLine().getParent() == null) {
      return null;
    }
    Set<String> spark;
    try {
      spark = Submit.allSparkOptionNames();
    } catch (IllegalStateException | NoClassDefFoundError noLauncher) {
      return null;
    }
    for (String arg : unmatched.getUnmatched()) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (spark.contains(name)) {
        return name;
      }
    }
    return null;
  }

  /**
   * Examples in footers are command lines to copy: wrapped at the terminal's width, they would
   * break in the middle of a command, so they are printed as written.
   */
  private static void keepFootersUnwrapped(CommandLine cli) {
    cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
      StringBuilder text = new StringBuilder();
      for (String line : help.commandSpec().usageMessage().footer()) {
        text.append(help.commandSpec().interpolateVariables() ? interpolate(line) : line)
            .append(System.lineSeparator());
      }
      return text.toString();
    });
    for (CommandLine sub : cli.getSubcommands().values()) {
      keepFootersUnwrapped(sub);
    }
  }

  private static String interpolate(String line) {
    return line.replace("${sys:npystats.warehouse}", System.getProperty("npystats.warehouse", ""));
  }

  /** The first line of what went wrong, for a line of its own. */
  static String firstLine(Throwable e) {
    return Failures.describe(e).lines().findFirst().orElse("");
  }

  /**
   * The version from the jar's manifest ("dev" when run from classes), with the Spark and Java it
   * runs on. Spark's version is read from the file its jar carries, so that none of Spark loads.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "npystats " + (v == null ? "dev" : v),
        "Spark " + sparkVersion() + ", Java " + System.getProperty("java.version") + " ("
            + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")"
      };
    }

    static String sparkVersion() {
      try (InputStream in = Main.class.getClassLoader().getResourceAsStream("spark-version-info.properties")) {
        if (in == null) {
          return "(not on the class path)";
        }
        Properties info = new Properties();
        info.load(in);
        return info.getProperty("version", "(unknown)");
      } catch (IOException e) {
        return "(unknown)";
      }
    }
  }
}
