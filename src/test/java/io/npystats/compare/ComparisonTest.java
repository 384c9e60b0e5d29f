package io.npystats.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.engine.Phase;
import io.npystats.spark.Tables;
import io.npystats.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A comparison run without the command line: both phases, Spark among the engines, its runs in
 * the shared session.
 */
class ComparisonTest {
  @TempDir Path tmp;

  @Test
  void sparkLocalAndBothPhasesAgreeWithTheOthers() throws Exception {
    String warehouse = tmp.resolve("warehouse").toString();
    ComparisonSettings settings = new ComparisonSettings(null, List.of(5L), 1_500, 9, List.of(2),
        List.of("threads", "spark"), EnumSet.of(Phase.GENERATE, Phase.STATS), 1, warehouse,
        tmp.resolve("report"), tmp.resolve("work").toString(), "both-1", null,
        Map.of("spark.ui.enabled", "false", "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1"), false);
    StringWriter out = new StringWriter();
    Comparison.Outcome outcome = new Comparison(settings, new PrintWriter(out),
        SharedSpark.engineSessions()).run();
    assertThat(outcome.failedFiles()).isZero();
    assertThat(outcome.rows()).extracting(r -> r.phase() + " " + r.engine() + " " + r.workers() + " " + r.repeat())
        .containsExactly("stats sequential 1 0", "stats sequential 1 1", "stats threads 2 0",
            "stats threads 2 1", "stats spark 2 0", "stats spark 2 1",
            "generate sequential 1 0", "generate sequential 1 1", "generate threads 2 0",
            "generate threads 2 1", "generate spark 2 0", "generate spark 2 1");
    assertThat(out.toString())
        .contains("Every engine gave the same results as sequential for every file, bit for bit"
            + " (statistics: n, mean, std, min, max, m2, status; generated files: length and CRC-32C).")
        .contains("generate, 5 files (0.1 MB) in ");
    assertThat(outcome.report().charts()).containsExactly(tmp.resolve("report/compare-stats.png"),
        tmp.resolve("report/compare-generate.png"));
    assertThat(tmp.resolve("work/generate")).doesNotExist(); // every run's folder removed

    List<Row> written = SharedSpark.spark().read().parquet(Tables.path(warehouse, Tables.BENCHMARKS))
        .where("run_id = 'both-1'").groupBy("phase")
        .agg(org.apache.spark.sql.functions.count("*"),
            org.apache.spark.sql.functions.expr("min(speedup) > 0"))
        .orderBy("phase").collectAsList();
    assertThat(written).extracting(Row::toString)
        .containsExactly("[generate,6,true]", "[stats,6,true]");
  }
}
