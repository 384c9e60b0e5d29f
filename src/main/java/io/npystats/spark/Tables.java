package io.npystats.spark;

import io.npystats.task.Column;
import io.npystats.task.Columns;
import io.npystats.task.FileSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The warehouse: one folder of plain Parquet per table, partitioned by {@code run_id}, so any
 * Spark (or DuckDB, or pandas) reads it without this application.
 *
 * <p>Writing a run replaces that run's partition and nothing else: Spark stages the files and
 * moves them in only when the job commits, and a re-run with the same id replaces rather than
 * duplicates. A {@code stats} run is committed by its {@code runs} row, written last; the views
 * {@link #register} makes show {@code file_stats} rows of committed runs only (see
 * {@link Warehouse}).
 */
public final class Tables {
  public static final String FILE_STATS = "file_stats";
  public static final String RUNS = "runs";
  public static final String BENCHMARKS = "benchmarks";
  public static final String RUN_ID = "run_id";

  /** {@code run_id}, then the stored columns of {@link FileSummary#COLUMNS}. */
  public static final StructType FILE_STATS_SCHEMA = schema(FileSummary.COLUMNS);

  /** {@code run_id}, then the columns of {@link RunRow#COLUMNS}. */
  public static final StructType RUNS_SCHEMA = schema(RunRow.COLUMNS);

  private Tables() {}

  /** A run's table of {@code columns}: {@code run_id}, then each column the tables hold. */
  static <R> StructType schema(Columns<R> columns) {
    StructType schema = new StructType().add(RUN_ID, DataTypes.StringType, false);
    for (Column<R> column : columns.stored()) {
      schema = schema.add(column.name(), dataType(column.type()), columns.tableNullable(column));
    }
    return schema;
  }

  /** {@code record} as a row of {@link #schema}{@code (columns)}. */
  static <R> Row row(String runId, Columns<R> columns, R record) {
    List<Column<R>> stored = columns.stored();
    Object[] values = new Object[stored.size() + 1];
    values[0] = runId;
    for (int i = 0; i < stored.size(); i++) {
      values[i + 1] = columns.tableValue(stored.get(i), record);
    }
    return RowFactory.create(values);
  }

  private static DataType dataType(Column.Type type) {
    return switch (type) {
      case TEXT -> DataTypes.StringType;
      case INT -> DataTypes.IntegerType;
      case LONG -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
      case TIMESTAMP -> DataTypes.TimestampType;
    };
  }

  public static String path(String warehouse, String table) {
    return new Path(warehouse, table).toString();
  }

  /**
   * Writes {@code rows} as the partitions of their run ids in {@code table}, replacing whatever
   * those run ids held before.
   *
   * @param files how many Parquet files each run's partition gets; one suits thousands of rows
   */
  public static void writeRun(Dataset<Row> rows, String warehouse, String table, int files)
      throws WarehouseWriteException {
    write(rows, path(warehouse, table), files, Map.of());
  }

  /** @param options the write's own settings, Parquet's among them */
  private static void write(Dataset<Row> rows, String path, int files, Map<String, String> options)
      throws WarehouseWriteException {
    try {
      rows.coalesce(Math.max(1, files))
          .write()
          .options(options)
          .mode(SaveMode.Overwrite)
          .option("partitionOverwriteMode", "dynamic")
          .partitionBy(RUN_ID)
          .parquet(path);
    } catch (Exception e) { // SparkException too, which Scala throws undeclared
      // Spark's message names the staging folder of a task; a person wants the table.
      throw new WarehouseWriteException(path, e);
    }
  }

  /**
   * Registers every table folder of the warehouse as a view of the same name; {@code file_stats}
   * shows only the runs that have their {@code runs} row.
   *
   * @return the names registered, sorted
   */
  public static List<String> register(SparkSession spark, String warehouse) throws IOException {
    Path root = new Path(warehouse);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<String> names = new ArrayList<>();
    if (!fs.exists(root)) {
      return names;
    }
    for (FileStatus status : fs.listStatus(root)) {
      String name = status.getPath().getName();
      if (status.isDirectory() && name.matches("[A-Za-z_][A-Za-z0-9_]*") && !name.startsWith("_")
          && hasData(fs, status.getPath())) {
        Dataset<Row> table = spark.read().parquet(status.getPath().toString());
        if (name.equals(FILE_STATS)) {
          table = committedOnly(spark, table, warehouse);
        }
        table.createOrReplaceTempView(name);
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  private static Dataset<Row> committedOnly(SparkSession spark, Dataset<Row> rows, String warehouse)
      throws IOException {
    // A filter on the partition column: the reader does not even list the uncommitted partitions.
    return rows.where(functions.col(RUN_ID).isInCollection(
        Warehouse.committedRuns(warehouse, spark.sparkContext().hadoopConfiguration())));
  }

  private static boolean hasData(FileSystem fs, Path table) throws IOException {
    for (FileStatus child : fs.listStatus(table)) {
      if (child.getPath().getName().startsWith(RUN_ID + "=")) {
        return true;
      }
    }
    return false;
  }
}
