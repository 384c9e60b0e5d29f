package io.npystats.spark;

import io.npystats.task.Column;
import io.npystats.task.Columns;
import java.sql.Timestamp;

/**
 * A {@code stats} run's row of the {@code runs} table, after its {@code run_id}: where it ran, what
 * it read, how long it took and the overall statistics, every digit kept.
 *
 * @param command the command that wrote the run
 * @param input the input as given, made absolute
 * @param master Spark's master URL
 * @param samples the values read over every file
 * @param startupSeconds from the JVM's start to a warm session
 * @param jobSeconds listing, reading and merging: see {@link StatsJob.Result}
 * @param writeSeconds writing {@code file_stats}
 */
record RunRow(String command, String input, String master, String appId, String sparkVersion,
    Timestamp startedAt, long files, long ok, long failed, long samples, long bytes,
    double startupSeconds, double jobSeconds, double writeSeconds, double filesPerSecond,
    double mbPerSecond, double mean, double std, double min, double max) {

  /** The one definition of the {@code runs} table's columns: see {@link Tables#RUNS_SCHEMA}. */
  static final Columns<RunRow> COLUMNS = Columns.of(RunRow.class,
      Column.text("command", RunRow::command),
      Column.text("input", RunRow::input),
      Column.text("master", RunRow::master),
      Column.text("app_id", RunRow::appId),
      Column.text("spark_version", RunRow::sparkVersion),
      Column.timestamp("started_at", RunRow::startedAt),
      Column.int64("files", RunRow::files),
      Column.int64("ok", RunRow::ok),
      Column.int64("failed", RunRow::failed),
      Column.int64("samples", RunRow::samples),
      Column.int64("bytes", RunRow::bytes),
      Column.float64("startup_seconds", RunRow::startupSeconds),
      Column.float64("job_seconds", RunRow::jobSeconds),
      Column.float64("write_seconds", RunRow::writeSeconds),
      Column.float64("files_per_second", RunRow::filesPerSecond),
      Column.float64("mb_per_second", RunRow::mbPerSecond),
      Column.float64("mean", RunRow::mean),
      Column.float64("std", RunRow::std),
      Column.float64("min", RunRow::min),
      Column.float64("max", RunRow::max));
}
