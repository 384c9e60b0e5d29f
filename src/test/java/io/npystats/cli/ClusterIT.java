package io.npystats.cli;

import static io.npystats.testing.LocalCluster.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.spark.SparkEngine;
import io.npystats.spark.StatsJob;
import io.npystats.spark.Tables;
import io.npystats.testing.LocalCluster;
import io.npystats.testing.LocalCluster.Outcome;
import io.npystats.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on a real standalone cluster of two one-core workers, started with
 * {@code ./submit.sh cluster start} and sent work with {@code ./submit.sh --master
 * spark://127.0.0.1:7077}: {@code generate} writes the input, {@code compare} puts the cluster
 * beside the sequential engine, and {@code stats} survives a worker and the executor it launched
 * being killed in the middle of the job, with {@code file_stats} equal to a clean local run.
 * The fault comes last: it leaves the cluster one worker short.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ClusterIT {
  private static final int FILES = 600;
  private static final int SAMPLES = 20_000;
  /** Two files a task: enough tasks that the kill lands mid-job on a fast machine too. */
  private static final int PARTITIONS = 300;
  /**
   * Spark's console progress bar for the stage that reads the files, the one with a task a
   * partition: {@code [Stage 1:==>   (12 + 2) / 300]}.
   */
  private static final Pattern PROGRESS = Pattern.compile(
      "\\[Stage \\d+:[=> ]*\\(\\s*(\\d+) \\+ \\d+\\) / " + PARTITIONS + "\\]");
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

  @TempDir static Path tmp;
  static LocalCluster cluster;
  static Path files;

  @BeforeAll
  static void startClusterAndGenerate() throws Exception {
    cluster = LocalCluster.start(tmp, 2, 1, "1g");
    files = tmp.resolve("files");
    Outcome generate = cluster.submit(RUN_TIMEOUT, "--master", MASTER, "generate",
        "--out", files.toString(), "--files", String.valueOf(FILES),
        "--samples", String.valueOf(SAMPLES), "--seed", "11");
    assertThat(generate.exitCode()).as(generate.tail()).isZero();
    assertThat(generate.out()).as(generate.tail()).contains(String.format("%,d files in", FILES));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void compareRunsTheClusterEngineAndAgreesWithSequential() throws Exception {
    String warehouse = tmp.resolve("compare-warehouse").toString();
    Outcome compare = cluster.submit(RUN_TIMEOUT, "--master", MASTER, "compare",
        "--in", files.toString(), "--workers", "1", "--repeats", "1",
        "--engines", SparkEngine.CLUSTER,
        "--warehouse", warehouse, "--report", tmp.resolve("report").toString(),
        "--work", tmp.resolve("compare-work").toString(), "--run-id", "cluster");
    // compare exits 1 when an engine's results differ from sequential's in any bit.
    assertThat(compare.exitCode()).as(compare.tail()).isZero();
    assertThat(compare.out()).as(compare.tail())
        .containsPattern("(?m)^" + SparkEngine.CLUSTER + " +2 +" + FILES + " ");

    List<Row> rows = SharedSpark.spark().read().parquet(Tables.path(warehouse, Tables.BENCHMARKS))
        .where("run_id = 'cluster' AND NOT warmup AND engine = '" + SparkEngine.CLUSTER + "'")
        .select("workers", "files", "failed").collectAsList();
    assertThat(rows).hasSize(1);
    assertThat(List.of(rows.get(0).getInt(0), rows.get(0).getLong(1), rows.get(0).getLong(2)))
        .as("the cluster's two one-core workers, every file, none refused")
        .containsExactly(2, (long) FILES, 0L);
  }

  @Test
  @Order(2)
  void statsSurvivesLosingAWorkerAndItsExecutorMidJob() throws Exception {
    String clean = tmp.resolve("clean-warehouse").toString();
    StatsJob.run(SharedSpark.spark(), files.toString(), clean, "clean", 0, 0);

    String warehouse = tmp.resolve("cluster-warehouse").toString();
    Path out = tmp.resolve("stats.out");
    Path err = tmp.resolve("stats.err");
    long start = System.nanoTime();
    Process stats = cluster.launch(out, err, "--master", MASTER,
        "--conf", "spark.ui.showConsoleProgress=true",
        "--conf", "spark.ui.consoleProgress.update.interval=50",
        "stats", "--in", files.toString(), "--warehouse", warehouse, "--run-id", "fault",
        "--partitions", String.valueOf(PARTITIONS));
    try {
      int tasksDone = awaitFileTasks(stats, out, err);
      List<ProcessHandle> killed = killAWorkerAndItsExecutor();
      double killedAt = (System.nanoTime() - start) / 1e9;

      assertThat(stats.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("stats still running after %d s", RUN_TIMEOUT.toSeconds()).isTrue();
      Outcome run = new Outcome(stats.exitValue(), LocalCluster.read(out), LocalCluster.read(err));
      System.out.printf("ClusterIT: killed processes %s at %.1f s, %d of %d file tasks done;"
              + " stats finished after %.1f s%n", killed.stream().map(ProcessHandle::pid).toList(),
          killedAt, tasksDone, PARTITIONS, (System.nanoTime() - start) / 1e9);

      assertThat(tasksDone).as("the kill landed before the files were all read").isLessThan(PARTITIONS);
      assertThat(run.exitCode()).as(run.tail()).isZero();
      assertThat(run.out()).as(run.tail())
          .contains(String.format("%,d files (%,d ok, 0 failed)", FILES, FILES));
      assertThat(run.err()).as("the driver saw the executor go\n" + run.tail()).contains("Lost executor");

      Map<String, List<Object>> expected = fileStats(clean, "clean");
      assertThat(expected).hasSize(FILES);
      assertThat(fileStats(warehouse, "fault")).isEqualTo(expected);

      Row runRow = SharedSpark.spark().read().parquet(Tables.path(warehouse, Tables.RUNS))
          .where("run_id = 'fault'").select("master", "files", "ok", "failed").first();
      assertThat(runRow.getString(0)).isEqualTo(MASTER);
      assertThat(List.of(runRow.getLong(1), runRow.getLong(2), runRow.getLong(3)))
          .containsExactly((long) FILES, (long) FILES, 0L);

      Outcome status = cluster.status();
      assertThat(status.out()).as(status.tail()).contains("1 workers alive");
    } finally {
      LocalCluster.destroyTree(stats.toHandle());
    }
  }

  /**
   * Waits until the driver's progress bar shows the files being read, and returns how many of
   * those tasks were done then.
   */
  private static int awaitFileTasks(Process stats, Path out, Path err) throws Exception {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = PROGRESS.matcher(LocalCluster.read(err));
      int done = -1;
      while (m.find()) {
        done = Integer.parseInt(m.group(1));
      }
      if (done >= 2) {
        return done;
      }
      if (!stats.isAlive()) {
        Outcome o = new Outcome(stats.exitValue(), LocalCluster.read(out), LocalCluster.read(err));
        throw new AssertionError("stats ended before its file tasks were seen under way:\n" + o.tail());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no progress of the file tasks within " + RUN_TIMEOUT.toSeconds()
        + " s:\n" + LocalCluster.read(err));
  }

  /**
   * Kills, with SIGKILL, the first worker that has launched an executor, and that executor: the
   * worker first, so that it cannot report the executor's end to the master.
   *
   * @return the processes killed
   */
  private static List<ProcessHandle> killAWorkerAndItsExecutor() throws Exception {
    for (int i = 1; i <= 2; i++) {
      ProcessHandle worker = cluster.worker(i);
      List<ProcessHandle> executors = LocalCluster.executorsOf(worker);
      if (executors.isEmpty()) {
        continue;
      }
      List<ProcessHandle> killed = new ArrayList<>();
      killed.add(worker);
      killed.addAll(executors);
      killed.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle p : killed) {
        p.onExit().get(30, TimeUnit.SECONDS);
      }
      return killed;
    }
    throw new AssertionError("no worker has launched an executor, though tasks run");
  }

  /** A run's file_stats rows by path, every column but the run id and the per-file time. */
  private static Map<String, List<Object>> fileStats(String warehouse, String runId) {
    List<Row> rows = SharedSpark.spark().read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("run_id = '" + runId + "'")
        .select("path", "status", "error", "dtype", "shape", "n", "mean", "std", "min", "max", "m2", "bytes")
        .collectAsList();
    Map<String, List<Object>> byPath = new TreeMap<>();
    for (Row r : rows) {
      byPath.put(r.getString(0), IntStream.range(1, r.size()).mapToObj(r::get).toList());
    }
    assertThat(byPath).as("one row per file in run " + runId).hasSize(rows.size());
    return byPath;
  }
}
