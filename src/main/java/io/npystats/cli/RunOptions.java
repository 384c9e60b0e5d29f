package io.npystats.cli;

import picocli.CommandLine.Option;

/**
 * The options of the commands that read files and write a run to the tables, {@code stats} and
 * {@code compare}: declared once, so that they read alike in both.
 */
final class RunOptions {
  @Option(names = "--in", paramLabel = "PATH",
      description = "Files to summarise: a folder, a glob, or a text file of paths.")
  String in;

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Where the tables go (default: ${sys:npystats.warehouse}).")
  String warehouse;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Names this run in the tables; re-using an id replaces that run's rows.")
  String runId;
}
