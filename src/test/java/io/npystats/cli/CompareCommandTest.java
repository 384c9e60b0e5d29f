package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.Fixtures;
import io.npystats.testing.SharedSpark;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare end to end: options, the printed table, the benchmarks table through sql, the report. */
class CompareCommandTest {
  @TempDir Path tmp;


  static void assertUsage(String message, String... args) {
    CliRun o = run(args);
    assertThat(o.code()).as(o.err()).isEqualTo(Main.USAGE);
    assertThat(o.err().lines().toList())
        .containsExactly("error: " + message, "Try './submit.sh compare --help' for usage.");
  }

  @Test
  void optionErrorsAreOneLineAndExitCodeTwo() {
    assertUsage("give either --in PATH or --files N, not neither", "compare");
    assertUsage("give either --in PATH or --files N, not both", "compare", "--in", "x", "--files", "3");
    assertUsage("--phase generate needs --files N: the files to write", "compare", "--in", "x",
        "--phase", "generate");
    assertUsage("--phase must be stats, generate or both, got 'all'", "compare", "--files", "3",
        "--phase", "all");
    assertUsage("--engines: unknown engine 'forks'; the engines are sequential, threads,"
        + " thread-per-file, processes, spark, spark-cluster", "compare", "--files", "3",
        "--engines", "threads,forks");
    assertUsage("--engines spark-cluster needs a cluster master, e.g. ./submit.sh --master"
        + " spark://127.0.0.1:7077 compare ...; the master is not set", "compare", "--files", "3",
        "--engines", "spark-cluster");
    assertUsage("--workers must be between 1 and 1,024, got 0", "compare", "--files", "3",
        "--workers", "1,0");
    assertUsage("--repeats must be between 1 and 100, got 0", "compare", "--files", "3",
        "--repeats", "0");
    assertUsage("--files must be between 1 and 10,000,000, got 0", "compare", "--files", "30,0");
  }

  @Test
  void generatedInputEveryInJvmEngineAndProcessesThenSql() throws Exception {
    SharedSpark.spark();
    String warehouse = tmp.resolve("warehouse").toString();
    Path report = tmp.resolve("report");
    CliRun o = run("compare", "--files", "6", "--samples", "2000", "--workers", "2,1",
        "--engines", "threads,thread-per-file,processes", "--work", tmp.resolve("work").toString(),
        "--warehouse", warehouse, "--report", report.toString(), "--run-id", "cli-1");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .contains("input: 6 files of 2,000 samples in " + tmp.resolve("work").resolve("files-6x2000-seed42")
            + " (written once, then kept)")
        .containsPattern("(?m)^stats    threads             2  start-up \\d+\\.\\d\\d s, warm-up"
            + " \\d+\\.\\d\\d s(, run \\d+\\.\\d\\d s \\([\\d,]+ files/s\\)){3}$")
        .contains("stats, 6 files (0.1 MB) in " + tmp.resolve("work").resolve("files-6x2000-seed42") + ":\n"
            + "engine           workers  files  wall s  start-up s  work s")
        .containsPattern("(?m)^thread-per-file        6      6 ")
        .contains("Every engine gave the same results as sequential for every file, bit for bit:"
            + " n, mean, std, min, max, m2 and status.")
        .contains("table:  " + warehouse + "/benchmarks (run_id = cli-1)")
        .contains("chart:  " + report.resolve("compare-stats.png"))
        .contains("report: " + report.resolve("report.md"));
    BufferedImage chart = ImageIO.read(report.resolve("compare-stats.png").toFile());
    assertThat(chart.getWidth()).isEqualTo(960);
    assertThat(chart.getHeight()).isEqualTo(900);
    assertThat(Files.readString(report.resolve("report.md")))
        .contains("| processes | 2 | 6 |").contains("- **processes**: W child JVMs share nothing");

    CliRun sql = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT engine, workers, count(*) AS runs, sum(CAST(warmup AS INT)) AS warmups, max(files) AS files"
            + " FROM benchmarks WHERE run_id = 'cli-1' GROUP BY engine, workers ORDER BY engine, workers");
    assertThat(sql.code()).as(sql.err()).isZero();
    assertThat(sql.out().lines().toList()).containsExactly("engine,workers,runs,warmups,files",
        "processes,1,4,1,6", "processes,2,4,1,6", "sequential,1,4,1,6", "thread-per-file,6,4,1,6",
        "threads,1,4,1,6", "threads,2,4,1,6");

    CliRun again = run("compare", "--files", "6", "--samples", "2000", "--workers", "2",
        "--engines", "threads", "--work", tmp.resolve("work").toString(), "--warehouse", warehouse,
        "--report", tmp.resolve("report-2").toString(), "--run-id", "cli-2", "--repeats", "2");
    assertThat(again.code()).as(again.err()).isZero();
    CliRun history = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT run_id, count(*) AS rows FROM benchmarks GROUP BY run_id ORDER BY run_id");
    assertThat(history.out().lines().toList()).containsExactly("run_id,rows", "cli-1,24", "cli-2,6");
  }

  @Test
  void aSweepRunsEveryEngineOnTheFirstFilesOfOneFolder() throws Exception {
    SharedSpark.spark();
    Path report = tmp.resolve("report");
    CliRun o = run("compare", "--files", "6,3", "--samples", "2000", "--workers", "2",
        "--engines", "threads", "--repeats", "1", "--work", tmp.resolve("work").toString(),
        "--warehouse", tmp.resolve("warehouse").toString(), "--report", report.toString());
    assertThat(o.code()).as(o.err()).isZero();
    Path folder = tmp.resolve("work").resolve("files-6x2000-seed42");
    assertThat(o.out())
        .contains("input: 6 files of 2,000 samples in " + folder + " (written once, then kept)")
        .containsPattern("(?m)^stats    threads             2         3 files  start-up ")
        .containsPattern("(?m)^stats    threads             2         6 files  start-up ")
        .contains("stats, 3 and 6 files (0.1 MB for 6) in " + folder + ":\n")
        .containsPattern("(?m)^threads +2 +3 ")
        .containsPattern("(?m)^threads +2 +6 ")
        .containsPattern("(?m)^warning: stats: under 0\\.1 s of work, too short to trust .*, threads"
            + " \\(2 workers\\) on 3 files \\(0\\.\\d{3} s\\), threads \\(2 workers\\) on 6 files");
    assertThat(Files.list(tmp.resolve("work")).map(p -> p.getFileName().toString()))
        .containsExactly("files-6x2000-seed42");
    assertThat(Files.readString(report.resolve("report.md")))
        .contains("![stats: work rate and wall time against files](compare-stats.png)")
        .contains("First to finish at each size: 3 files, ")
        .containsOnlyOnce("- threads with 2 workers: 2 pool threads\n");
  }

  @Test
  void refusedInputFilesAreTheSameForEveryEngineAndExitCodeOne() {
    SharedSpark.spark();
    CliRun o = run("compare", "--in", Fixtures.dir().resolve("*.npy").toString(), "--workers", "2",
        "--engines", "threads,processes", "--warehouse", tmp.resolve("warehouse").toString(),
        "--report", tmp.resolve("report").toString());
    assertThat(o.code()).as(o.err()).isEqualTo(Main.FAILED);
    long refused = Fixtures.manifest().stream().filter(Fixtures.Expected::refuse).count();
    assertThat(o.err().strip()).isEqualTo(refused + " input file(s) refused, by every engine alike;"
        + " see the stats command for the reasons");
  }
}
