package io.npystats.report;

import static io.npystats.report.ReportTestRows.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarksTest {
  static final Machine MACHINE = new Machine(2, 8L << 30, "17.0.15", "Linux amd64");

  static List<BenchmarkRow> rows() {
    return Benchmarks.rows(Instant.parse("2026-11-25T21:00:00Z"), "1,000 files", MACHINE, List.of(
        new Benchmarks.Measured(run("sequential", 1, 0, 9.0, 1000), 0),
        new Benchmarks.Measured(run("sequential", 1, 0, 4.0, 1000), 1),
        new Benchmarks.Measured(run("sequential", 1, 0, 2.0, 1000), 2),
        new Benchmarks.Measured(run("sequential", 1, 0, 3.0, 1000), 3),
        new Benchmarks.Measured(run("threads", 2, 0.01, 5.0, 1000), 0),
        new Benchmarks.Measured(run("threads", 2, 0.01, 1.5, 1000), 1),
        new Benchmarks.Measured(run("threads", 2, 0.01, 2.0, 1000), 2),
        new Benchmarks.Measured(run("threads", 2, 0.01, 1.0, 1000), 3)));
  }

  @Test
  void speedupIsAgainstTheMedianSequentialWorkTimeAndWarmUpsAreApart() {
    List<BenchmarkRow> rows = rows();
    assertThat(rows).hasSize(8);
    assertThat(rows).filteredOn(BenchmarkRow::warmup).extracting(BenchmarkRow::repeat).containsOnly(0);
    BenchmarkRow fastest = rows.get(7);
    assertThat(fastest.speedup()).isCloseTo(3.0, within(1e-12));
    assertThat(fastest.efficiency()).isCloseTo(1.5, within(1e-12));
    assertThat(fastest.filesPerSecond()).isCloseTo(1000.0, within(1e-9));
    assertThat(fastest.mbPerSecond()).isCloseTo(800.0, within(1e-9));
    assertThat(fastest.wallSeconds()).isCloseTo(1.01, within(1e-12));
    assertThat(fastest.machine()).isEqualTo(MACHINE);
  }

  @Test
  void theShownRowIsTheMedianMeasuredRun() {
    List<BenchmarkRow> shown = Benchmarks.shown(rows(), "stats");
    assertThat(shown).extracting(BenchmarkRow::engine).containsExactly("sequential", "threads");
    assertThat(shown).extracting(BenchmarkRow::workSeconds).containsExactly(3.0, 1.5);
    assertThat(Benchmarks.shown(rows(), "generate")).isEmpty();
  }

  @Test
  void eachShownRowCarriesTheSpreadOfItsRepeats() {
    List<Benchmarks.Summary> summaries = Benchmarks.summaries(rows(), "stats");
    assertThat(summaries).extracting(Benchmarks.Summary::runs).containsExactly(3, 3);
    Benchmarks.Summary threads = summaries.get(1);
    assertThat(threads.minWorkSeconds()).isEqualTo(1.0);
    assertThat(threads.maxWorkSeconds()).isEqualTo(2.0);
    assertThat(threads.minWallSeconds()).isCloseTo(1.01, within(1e-12));
    assertThat(threads.maxWallSeconds()).isCloseTo(2.01, within(1e-12));
    assertThat(threads.minFilesPerSecond()).isCloseTo(500.0, within(1e-9));
    assertThat(threads.maxFilesPerSecond()).isCloseTo(1000.0, within(1e-9));
    assertThat(threads.workPerFile()).isCloseTo(1.5e-3, within(1e-15));
  }

  @Test
  void aSweepShowsOneRowPerSizeWithItsOwnBaseline() {
    List<BenchmarkRow> rows = Benchmarks.rows(Instant.parse("2026-11-25T21:00:00Z"), "sweep",
        MACHINE, List.of(
            new Benchmarks.Measured(run("sequential", 1, 0, 0.2, 100), 1),
            new Benchmarks.Measured(run("sequential", 1, 0, 2.0, 1000), 1),
            new Benchmarks.Measured(run("spark", 2, 3.0, 0.4, 100), 1),
            new Benchmarks.Measured(run("spark", 2, 3.0, 1.0, 1000), 1)));
    assertThat(Benchmarks.shown(rows, "stats"))
        .extracting(r -> r.engine() + " " + r.files() + " " + r.speedup())
        .containsExactly("sequential 100 1.0", "sequential 1000 1.0", "spark 100 0.5",
            "spark 1000 2.0");
  }

  @Test
  void theTextTableAlignsItsColumns() {
    String text = TextTables.text(Benchmarks.summaries(rows(), "stats"));
    assertThat(text.lines().toList()).containsExactly(
        "engine      workers  files  wall s  start-up s  work s  work min-max  files/s  MB/s  speedup  efficiency  CPU s",
        "sequential        1  1,000    3.00        0.00    3.00   2.000-4.000      333   267    1.00x        100%   3.00",
        "threads           2  1,000    1.51        0.01    1.50   1.000-2.000      667   533    2.00x        100%   3.00");
    assertThat(TextTables.markdown(Benchmarks.summaries(rows(), "stats")).lines().limit(2).toList())
        .containsExactly(
            "| engine | workers | files | wall s | start-up s | work s | work min-max | files/s | MB/s | speedup | efficiency | CPU s |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  }
}
