package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.task.FileSummary;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class TablesTest {
  /** The layout of file_stats that runs already written have; a change of it is a new layout. */
  @Test
  void fileStatsKeepsItsLayout() {
    StructType written = new StructType()
        .add("run_id", DataTypes.StringType, false)
        .add("path", DataTypes.StringType, false)
        .add("status", DataTypes.StringType, false)
        .add("error", DataTypes.StringType, true)
        .add("dtype", DataTypes.StringType, true)
        .add("shape", DataTypes.StringType, true)
        .add("n", DataTypes.LongType, false)
        .add("mean", DataTypes.DoubleType, false)
        .add("std", DataTypes.DoubleType, false)
        .add("min", DataTypes.DoubleType, false)
        .add("max", DataTypes.DoubleType, false)
        .add("m2", DataTypes.DoubleType, false)
        .add("bytes", DataTypes.LongType, false)
        .add("seconds", DataTypes.DoubleType, false);
    assertThat(Tables.FILE_STATS_SCHEMA).isEqualTo(written);
  }

  /** Every double differs, so a row whose values are one column off, or two swapped, fails. */
  @Test
  void aRowsValuesLineUpWithTheSchemaByName() throws Exception {
    FileSummary s = new FileSummary("/d/f.npy", "ok", null, "<f8", "(3,)", 3, 1.5, 2.5, -3.5, 4.5,
        5.5, 6.5e-17, 152, 7.5);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("run_id", "r1");
    expected.put("path", s.path());
    expected.put("status", s.status());
    expected.put("error", s.error());
    expected.put("dtype", s.dtype());
    expected.put("shape", s.shape());
    expected.put("n", s.n());
    expected.put("mean", s.mean());
    expected.put("std", s.std());
    expected.put("min", s.min());
    expected.put("max", s.max());
    expected.put("m2", s.m2());
    expected.put("bytes", s.bytes());
    expected.put("seconds", s.seconds());

    Row row = new StatsJob.ToRow("r1").call(s);
    StructType schema = Tables.FILE_STATS_SCHEMA;
    assertThat(schema.fieldNames()).containsExactlyElementsOf(expected.keySet());
    assertThat(row.size()).isEqualTo(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      assertThat(row.get(i)).as(schema.fieldNames()[i])
          .isEqualTo(expected.get(schema.fieldNames()[i]));
    }
  }
}
