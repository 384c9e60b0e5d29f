package io.npystats.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The first class {@code submit.sh} starts: it takes spark-submit's arguments, checks the Spark
 * options and the command line of the application before any of Spark is loaded, answers
 * {@code --help} and {@code --version} itself, and only then hands the same arguments to Spark's
 * {@code SparkSubmit} in this JVM. A typo thus costs a JVM start and picocli, not Spark's start-up.
 *
 * <p>With {@code --check} first, it checks and answers but starts nothing, for a run through a
 * Spark installation's own {@code spark-submit}: exit code 0 means "go on", {@link #ANSWERED}
 * that help or the version was printed, 2 that the command line was wrong.
 */
public final class Submit {
  static final int GO_ON = -1;
  static final int ANSWERED = 3;

  private Submit() {}

  public static void main(String[] args) throws Exception {
    boolean checkOnly = args.length > 0 && args[0].equals("--check");
    String[] submitArgs = checkOnly ? Arrays.copyOfRange(args, 1, args.length) : args;
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = check(submitArgs, out, err);
    out.flush();
    err.flush();
    if (code != GO_ON) {
      System.exit(checkOnly && code == Main.OK ? ANSWERED : code);
    }
    if (checkOnly) {
      System.exit(Main.OK);
    }
    submit(submitArgs);
  }

  /** Kept apart so that none of Spark's classes load before the checks are done. */
  private static void submit(String[] args) {
    org.apache.spark.deploy.SparkSubmit.main(args);
  }

  /**
   * Checks spark-submit's arguments (Spark options, the jar, the application's arguments).
   *
   * @return {@link #GO_ON} when the command should run; otherwise the exit code, having printed
   *     the help, the version or one line on what is wrong
   */
  static int check(String[] submitArgs, PrintWriter out, PrintWriter err) {
    CommandLine spark = new CommandLine(sparkOptions());
    List<String> application;
    try {
      ParseResult parsed = spark.parseArgs(submitArgs);
      List<String> rest = parsed.matchedPositionals().isEmpty() ? List.of()
          : parsed.matchedPositionals().get(0).stringValues();
      application = rest.isEmpty() ? List.of() : rest.subList(1, rest.size()); // after the jar
    } catch (ParameterException e) {
      err.println("error: " + sparkOptionError(e));
      err.println("Try './submit.sh --help' for the commands and Spark options.");
      err.flush();
      return Main.USAGE;
    }
    CommandLine cli = Main.commandLine(out, err);
    try {
      ParseResult parsed = cli.parseArgs(application.toArray(String[]::new));
      Integer answered = CommandLine.executeHelpRequest(parsed);
      if (answered != null) {
        return answered;
      }
      ParseResult command = parsed;
      while (command.hasSubcommand()) {
        command = command.subcommand();
      }
      if (command.commandSpec().userObject() instanceof Checked checked) {
        checked.check();
      }
      return GO_ON;
    } catch (ParameterException e) {
      try {
        return cli.getParameterExceptionHandler().handleParseException(e, application.toArray(String[]::new));
      } catch (Exception unexpected) {
        err.println("error: " + e.getMessage());
        return Main.USAGE;
      }
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static String sparkOptionError(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      String option = unmatched.getUnmatched().get(0);
      String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
      return "unknown Spark option '" + name + "'" + Main.didYouMean(name, allSparkOptionNames());
    }
    return e.getMessage();
  }

  /**
   * The options spark-submit itself takes, read from the parser it uses (Spark's launcher), so that
   * the list is the one of the Spark on the class path; what follows the first argument that is not
   * an option (the jar) is the application's.
   */
  static CommandSpec sparkOptions() {
    CommandSpec spec = CommandSpec.create().name("./submit.sh");
    spec.parser().stopAtPositional(true).overwrittenOptionsAllowed(true).abbreviatedOptionsAllowed(false);
    for (String name : sparkOptionNames(true)) {
      spec.addOption(OptionSpec.builder(name).arity("1").build());
    }
    for (String name : sparkOptionNames(false)) {
      spec.addOption(OptionSpec.builder(name).arity("0").build());
    }
    spec.addPositional(PositionalParamSpec.builder().arity("0..*").build());
    return spec;
  }

  /** The names of spark-submit's options that take a value, or of its switches. */
  static List<String> sparkOptionNames(boolean withValue) {
    try {
      Class<?> parser = Class.forName("org.apache.spark.launcher.SparkSubmitOptionParser");
      Constructor<?> constructor = parser.getDeclaredConstructor();
      constructor.setAccessible(true);
      Field field = parser.getDeclaredField(withValue ? "opts" : "switches");
      field.setAccessible(true);
      List<String> names = new ArrayList<>();
      for (String[] aliases : (String[][]) field.get(constructor.newInstance())) {
        names.addAll(List.of(aliases));
      }
      return names;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read spark-submit's options from Spark's launcher", e);
    }
  }

  /** Every spark-submit option name, for the hint that they go before the command. */
  static Set<String> allSparkOptionNames() {
    Set<String> names = new LinkedHashSet<>(sparkOptionNames(true));
    names.addAll(sparkOptionNames(false));
    return names;
  }
}
