package io.npystats.report;

import static io.npystats.task.Column.Trait.DERIVED;
import static io.npystats.task.Column.Trait.NULLABLE;

import io.npystats.task.Column;
import io.npystats.task.Columns;
import java.sql.Timestamp;

/**
 * One engine run of a {@code compare}, as it is printed, charted and kept in the
 * {@code benchmarks} table, after its {@code run_id}.
 *
 * @param repeat 0 for the warm-up run, which fills the page cache and the JIT; 1, 2, ... after
 * @param filesPerSecond files over work seconds: start-up is kept apart
 * @param speedup the sequential engine's work seconds over this run's, in the same phase
 * @param efficiency speedup over workers: 1 means every worker did a full share
 * @param cpuSeconds CPU time of every process of the run, or NaN where unknown
 */
public record BenchmarkRow(Timestamp startedAt, String phase, String engine, int workers,
    int repeat, long files, long failed, long bytes, double wallSeconds, double startupSeconds,
    double workSeconds, double filesPerSecond, double mbPerSecond, double speedup,
    double efficiency, double cpuSeconds, String detail, String input, Machine machine) {

  /**
   * The one definition of the {@code benchmarks} table's columns, the machine's spread over four;
   * the table is written from it by {@code spark/BenchmarkTable}.
   */
  public static final Columns<BenchmarkRow> COLUMNS = Columns.of(BenchmarkRow.class,
      Column.timestamp("started_at", BenchmarkRow::startedAt),
      Column.text("phase", BenchmarkRow::phase),
      Column.text("engine", BenchmarkRow::engine),
      Column.int32("workers", BenchmarkRow::workers),
      Column.int32("repeat", BenchmarkRow::repeat),
      Column.bool("warmup", BenchmarkRow::warmup, DERIVED),
      Column.int64("files", BenchmarkRow::files),
      Column.int64("failed", BenchmarkRow::failed),
      Column.int64("bytes", BenchmarkRow::bytes),
      Column.float64("wall_seconds", BenchmarkRow::wallSeconds),
      Column.float64("startup_seconds", BenchmarkRow::startupSeconds),
      Column.float64("work_seconds", BenchmarkRow::workSeconds),
      Column.float64("files_per_second", BenchmarkRow::filesPerSecond),
      Column.float64("mb_per_second", BenchmarkRow::mbPerSecond),
      Column.float64("speedup", BenchmarkRow::speedup),
      Column.float64("efficiency", BenchmarkRow::efficiency),
      Column.float64("cpu_seconds", BenchmarkRow::cpuSeconds),
      Column.text("detail", BenchmarkRow::detail, NULLABLE),
      Column.text("input", BenchmarkRow::input),
      Column.int32("cores", r -> r.machine().cores()),
      Column.int64("memory_bytes", r -> r.machine().memoryBytes()),
      Column.text("java_version", r -> r.machine().javaVersion()),
      Column.text("os", r -> r.machine().os()));

  public boolean warmup() {
    return repeat == 0;
  }
}
