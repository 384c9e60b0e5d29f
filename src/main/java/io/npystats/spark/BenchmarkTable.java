package io.npystats.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code benchmarks} table: one row per engine run of a {@code compare}, warm-up runs
 * included ({@code repeat = 0}), with the machine it ran on. Each compare has its own run id, so
 * the table keeps the history.
 */
public final class BenchmarkTable {
  public static final StructType SCHEMA = new StructType()
      .add(Tables.RUN_ID, DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("phase", DataTypes.StringType, false)
      .add("engine", DataTypes.StringType, false)
      .add("workers", DataTypes.IntegerType, false)
      .add("repeat", DataTypes.IntegerType, false)
      .add("warmup", DataTypes.BooleanType, false)
      .add("files", DataTypes.LongType, false)
      .add("failed", DataTypes.LongType, false)
      .add("bytes", DataTypes.LongType, false)
      .add("wall_seconds", DataTypes.DoubleType, false)
      .add("startup_seconds", DataTypes.DoubleType, false)
      .add("work_seconds", DataTypes.DoubleType, false)
      .add("files_per_second", DataTypes.DoubleType, false)
      .add("mb_per_second", DataTypes.DoubleType, false)
      .add("speedup", DataTypes.DoubleType, false)
      .add("efficiency", DataTypes.DoubleType, false)
      .add("cpu_seconds", DataTypes.DoubleType, false)
      .add("detail", DataTypes.StringType, true)
      .add("input", DataTypes.StringType, false)
      .add("cores", DataTypes.IntegerType, false)
      .add("memory_bytes", DataTypes.LongType, false)
      .add("java_version", DataTypes.StringType, false)
      .add("os", DataTypes.StringType, false);

  private BenchmarkTable() {}

  /**
   * Writes {@code rows}, in {@link #SCHEMA}'s column order, as their run's partition, under the
   * warehouse's writer lock.
   */
  public static void write(SparkSession spark, String warehouse, List<Row> rows) {
    Dataset<Row> frame = spark.createDataFrame(rows, SCHEMA);
    try (Warehouse tables = Warehouse.forWriting(warehouse, spark.sparkContext().hadoopConfiguration())) {
      Tables.writeRun(frame, warehouse, Tables.BENCHMARKS, 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
