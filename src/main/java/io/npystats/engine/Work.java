package io.npystats.engine;

import io.npystats.task.Columns;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A list of per-file tasks of one kind, the unit an {@link Engine} runs. Item {@code i}'s result
 * is at position {@code i} of the run's results whichever engine ran it. The work itself is the
 * {@code task} package's, so every engine runs the same kernel code and none has its own copy.
 *
 * <p>There are two kinds, and what differs between them is said by each kind: what a child process
 * is sent and sends back, the options its JVM runs best with, and, through {@link #on}, what an
 * engine outside this package does for each.
 *
 * @param <R> the result of one file
 */
public sealed interface Work<R> permits StatsWork, GenerateWork {
  /** What an engine does for each kind of work. */
  interface Cases<T> {
    T stats(StatsWork work);

    T generate(GenerateWork work);
  }

  /** The case of {@code cases} for this kind. */
  <T> T on(Cases<T> cases);

  Phase phase();

  int size();

  /**
   * Item {@code i} as text: the path of a file to summarise, or the index of a file to write. It
   * is what a child process is sent, and what error messages name.
   */
  String item(int i);

  /** The item a result is for, as {@link #item} writes it. */
  String itemOf(R result);

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

  /** The fields of a result, in the order a child process sends them. */
  Columns<R> resultColumns();

  /** What a child process needs besides its items to rebuild this work: see {@link ChildProtocol}. */
  List<String> parameters();

  /**
   * The JVM options a child process doing this work runs best with, given the options its
   * parent JVM was started with.
   */
  List<String> childOptions(List<String> parentOptions);
}
