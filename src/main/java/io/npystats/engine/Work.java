package io.npystats.engine;

import org.apache.hadoop.conf.Configuration;

/**
 * A list of per-file tasks of one kind, the unit an {@link Engine} runs. Item {@code i}'s result
 * is at position {@code i} of the run's results whichever engine ran it. The work itself is the
 * {@code task} package's, so every engine runs the same kernel code and none has its own copy.
 *
 * @param <R> the result of one file
 */
public interface Work<R> {
  Phase phase();

  int size();

  /**
   * Item {@code i} as text: the path of a file to summarise, or the index of a file to write. It
   * is what a child process is sent, and what error messages name.
   */
  String item(int i);

  /** Where item {@code i}'s file is, for messages. */
  String file(int i);

  /** A task for one thread. */
  FileTask<R> newTask(Configuration conf);

  /** Whether a result is a success; a file that could not be read is a result that is not. */
  boolean ok(R result);

  /** The bytes a result read or wrote. */
  long bytes(R result);

  /** Items {@code [from, to)} as a work of their own, the share of one child process. */
  Work<R> slice(int from, int to);
}
