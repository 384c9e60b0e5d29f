package io.npystats.task;

import static io.npystats.task.Column.Trait.FIGURE;
import static io.npystats.task.Column.Trait.MEASURED;
import static io.npystats.task.Column.Trait.NOT_STORED;
import static io.npystats.task.Column.Trait.NULLABLE;

import io.npystats.stats.StreamingStats;
import java.io.Serializable;

/**
 * The statistics of one input file, or why it has none. Every input file gets exactly one, so a
 * bad file is a row with {@code status = "error"} and a reason, never a missing row.
 *
 * @param dtype numpy's descr, e.g. {@code <f8}; null where the header could not be read
 * @param shape numpy's shape text, e.g. {@code (100000,)}; null where unknown
 * @param m2 sum of squared deviations from the mean, kept so that partials merge exactly
 * @param meanLow what {@code mean} rounded away (see {@link StreamingStats#meanLow()}), carried
 *     so that the run's overall mean keeps its last bits; not a column of the tables
 * @param bytes the file's length
 * @param seconds time spent reading and summarising this file; for a file {@link ReadAhead} read,
 *     the time from the task taking its bytes
 */
public record FileSummary(
    String path,
    String status,
    String error,
    String dtype,
    String shape,
    long n,
    double mean,
    double std,
    double min,
    double max,
    double m2,
    double meanLow,
    long bytes,
    double seconds)
    implements Serializable {

  public static final String OK = "ok";
  public static final String ERROR = "error";

  /**
   * The one definition of the fields as columns: the {@code file_stats} table's schema and rows,
   * the child processes' result lines and the engines' agreement all follow it.
   */
  public static final Columns<FileSummary> COLUMNS = Columns.of(FileSummary.class,
      Column.text("path", FileSummary::path),
      Column.text("status", FileSummary::status),
      Column.text("error", FileSummary::error, NULLABLE),
      Column.text("dtype", FileSummary::dtype, NULLABLE),
      Column.text("shape", FileSummary::shape, NULLABLE),
      Column.int64("n", FileSummary::n, FIGURE),
      Column.float64("mean", FileSummary::mean, FIGURE),
      Column.float64("std", FileSummary::std, FIGURE),
      Column.float64("min", FileSummary::min, FIGURE),
      Column.float64("max", FileSummary::max, FIGURE),
      Column.float64("m2", FileSummary::m2, FIGURE),
      Column.float64("mean_low", FileSummary::meanLow, NOT_STORED),
      Column.int64("bytes", FileSummary::bytes, MEASURED),
      Column.float64("seconds", FileSummary::seconds, MEASURED))
      .figuresOnlyWhen(FileSummary::isOk);

  static FileSummary ok(
      String path, String dtype, String shape, StreamingStats stats, long bytes, double seconds) {
    return new FileSummary(path, OK, null, dtype, shape, stats.count(), stats.mean(), stats.std(),
        stats.min(), stats.max(), stats.m2(), stats.meanLow(), bytes, seconds);
  }

  static FileSummary error(String path, String reason, long bytes, double seconds) {
    return new FileSummary(path, ERROR, reason, null, null, 0, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, 0, bytes, seconds);
  }

  public boolean isOk() {
    return OK.equals(status);
  }

  /**
   * Merges this file's partial into {@code stats}, as merging {@code StreamingStats.of} its parts
   * would, without making that partial: a run's totals take in every row this way. An error row
   * has no values and adds none.
   */
  public void mergeInto(StreamingStats stats) {
    if (isOk()) {
      stats.merge(n, mean, meanLow, m2, min, max);
    }
  }
}
