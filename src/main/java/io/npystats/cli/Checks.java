package io.npystats.cli;

import java.util.regex.Pattern;
import org.apache.hadoop.util.StringUtils.TraditionalBinaryPrefix;
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

  /**
   * A size in bytes as Hadoop writes them: digits with an optional binary suffix ({@code 128m},
   * {@code 1g}), at least {@code min}.
   */
  static long bytes(CommandSpec spec, String option, String value, long min) {
    long bytes;
    try {
      bytes = TraditionalBinaryPrefix.string2long(value.strip());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + " '" + value
          + "' is not a size: digits with an optional k, m, g or t, such as 128m");
    }
    if (bytes < min) {
      throw new ParameterException(spec.commandLine(), String.format(
          "%s must be at least %,d bytes, got %s", option, min, value));
    }
    return bytes;
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
