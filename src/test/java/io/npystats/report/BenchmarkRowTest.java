package io.npystats.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.task.Column;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkRowTest {
  /** Every value of a type differs from the others of it, so two columns swapped give another. */
  static final BenchmarkRow ROW = new BenchmarkRow(Timestamp.valueOf("2030-01-02 03:04:05"),
      "stats", "threads", 3, 2, 40, 1, 5000, 2.5, 0.25, 2.0, 20.0, 0.0025, 1.75, 0.5833, 3.5,
      "pool of 3", "/in", new Machine(16, 64L << 30, "17.0.15", "Linux amd64"));

  @Test
  void eachColumnReadsItsOwnValueInTheTablesOrder() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("started_at", Timestamp.valueOf("2030-01-02 03:04:05"));
    expected.put("phase", "stats");
    expected.put("engine", "threads");
    expected.put("workers", 3);
    expected.put("repeat", 2);
    expected.put("warmup", false);
    expected.put("files", 40L);
    expected.put("failed", 1L);
    expected.put("bytes", 5000L);
    expected.put("wall_seconds", 2.5);
    expected.put("startup_seconds", 0.25);
    expected.put("work_seconds", 2.0);
    expected.put("files_per_second", 20.0);
    expected.put("mb_per_second", 0.0025);
    expected.put("speedup", 1.75);
    expected.put("efficiency", 0.5833);
    expected.put("cpu_seconds", 3.5);
    expected.put("detail", "pool of 3");
    expected.put("input", "/in");
    expected.put("cores", 16);
    expected.put("memory_bytes", 64L << 30);
    expected.put("java_version", "17.0.15");
    expected.put("os", "Linux amd64");

    List<Column<BenchmarkRow>> stored = BenchmarkRow.COLUMNS.stored();
    assertThat(stored).extracting(Column::name).containsExactlyElementsOf(expected.keySet());
    for (Column<BenchmarkRow> column : stored) {
      assertThat(column.get(ROW)).as(column.name()).isEqualTo(expected.get(column.name()));
    }
  }

  @Test
  void aRowComesBackFromItsValuesAndItsWarmupFromItsRepeat() {
    List<Column<BenchmarkRow>> all = BenchmarkRow.COLUMNS.all();
    Object[] values = all.stream().map(c -> c.get(ROW)).toArray();
    assertThat(BenchmarkRow.COLUMNS.create(values)).isEqualTo(ROW);

    values[all.stream().map(Column::name).toList().indexOf("warmup")] = true;
    assertThatThrownBy(() -> BenchmarkRow.COLUMNS.create(values))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BenchmarkRow's warmup is false, not true");
  }

  @Test
  void aRowWrittenInItsBinaryFormReadsBackWhole() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    BenchmarkRow.COLUMNS.write(ROW, new java.io.DataOutputStream(bytes));
    BenchmarkRow read = BenchmarkRow.COLUMNS.read(
        new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
    assertThat(read).isEqualTo(ROW);
  }
}
