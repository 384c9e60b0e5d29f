package io.npystats.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Option checks that picocli's type conversion leaves to the command: ranges and names. */
final class Checks {
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private Checks() {}

  static long inRange(CommandSpec spec, String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(), String.format(
          "%s must be between %,d and %,d, got %,d", option, min, max, value));
    }
    return value;
  }

  /** Run ids become folder names ({@code run_id=...}), so they are kept to a safe alphabet. */
  static String runId(CommandSpec spec, String value) {
    return runId(spec, "--run-id", value);
  }

  static String runId(CommandSpec spec, String name, String value) {
    if (value == null) {
      return null;
    }
    if (!RUN_ID.matcher(value).matches()) {
      throw new ParameterException(spec.commandLine(),
          name + " '" + value + "' must be 1 to 128 letters, digits, '.', '_' or '-', starting"
              + " with a letter or digit");
    }
    return value;
  }
}
