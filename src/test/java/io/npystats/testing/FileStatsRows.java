package io.npystats.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.spark.Tables;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The {@code file_stats} rows of one run, by file name, checked to be one per file. */
public final class FileStatsRows {
  private FileStatsRows() {}

  public static Map<String, Row> byName(SparkSession spark, String warehouse, String runId) {
    List<Row> rows = spark.read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("run_id = '" + runId + "'").collectAsList();
    Map<String, Row> byName = rows.stream().collect(Collectors.toMap(
        r -> new org.apache.hadoop.fs.Path(r.<String>getAs("path")).getName(), Function.identity()));
    assertThat(byName).as("one row per file").hasSize(rows.size());
    return byName;
  }
}
