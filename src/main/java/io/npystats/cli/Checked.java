package io.npystats.cli;

import picocli.CommandLine.ParameterException;

/**
 * A command whose option checks (ranges, names) can run on the parsed options alone, before
 * Spark starts: {@link Submit} runs them first, so a wrong value costs no Spark start-up.
 */
interface Checked {
  void check() throws ParameterException;
}
