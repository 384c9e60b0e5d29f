package io.npystats.spark;

import io.npystats.task.Columns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code benchmarks} table: one row per engine run of a {@code compare}, warm-up runs
 * included ({@code repeat = 0}), with the machine it ran on. Each compare has its own run id, so
 * the table keeps the history.
 *
 * <p>Its columns are defined once, by {@code report/BenchmarkRow.COLUMNS}; the caller hands them
 * in, as {@code report} sits beside this package, not below it. Driver-only.
 */
public final class BenchmarkTable {
  private BenchmarkTable() {}

  /** {@code run_id}, then each column of {@code columns} the table holds. */
  public static <R> StructType schema(Columns<R> columns) {
    return Tables.schema(columns);
  }

  /**
   * Writes {@code rows} as the partition of {@code runId}, under the warehouse's writer lock.
   */
  public static <R> void write(SparkSession spark, String warehouse, String runId,
      Columns<R> columns, List<R> rows) {
    List<Row> table = rows.stream().map(r -> Tables.row(runId, columns, r)).toList();
    Dataset<Row> frame = spark.createDataFrame(table, schema(columns));
    try (Warehouse tables = Warehouse.forWriting(warehouse, spark.sparkContext().hadoopConfiguration())) {
      Tables.writeRun(frame, warehouse, Tables.BENCHMARKS, 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
