package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.engine.Agreement;
import io.npystats.engine.EngineRun;
import io.npystats.engine.EngineSession;
import io.npystats.engine.FileDigest;
import io.npystats.engine.GenerateWork;
import io.npystats.engine.Phase;
import io.npystats.engine.Progress;
import io.npystats.engine.SequentialEngine;
import io.npystats.engine.StatsWork;
import io.npystats.task.FileSummary;
import io.npystats.task.GeneratedFile;
import io.npystats.task.InputPaths;
import io.npystats.testing.ChildJvm;
import io.npystats.testing.Fixtures;
import io.npystats.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark local[W] as an engine: the sequential engine's rows and files, whatever W. */
class SparkEngineTest {
  static final Configuration CONF = new Configuration();
  static final Map<String, String> QUIET = Map.of("spark.ui.enabled", "false",
      "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1");

  @TempDir Path tmp;

  /** The sequential engine's summaries of the fixtures, and its digests of 7 generated files. */
  record Expected(StatsWork stats, List<FileSummary> summaries, List<FileDigest> files) {
    static Expected of(Path tmp) throws Exception {
      StatsWork stats = new StatsWork(
          InputPaths.list(Fixtures.dir().resolve("*.npy").toString(), CONF));
      try (EngineSession s = new SequentialEngine(CONF).open(1)) {
        List<FileSummary> summaries = s.run(stats, Progress.NONE).results();
        EngineRun<GeneratedFile> run = s.run(
            new GenerateWork(tmp.resolve("seq").toString(), 3, 1_000, 7), Progress.NONE);
        return new Expected(stats, summaries, digests(run));
      }
    }

    /** What {@code session} disagrees with, empty when nothing. */
    List<String> differences(EngineSession session, int workers, Path out) throws Exception {
      EngineRun<FileSummary> run = session.run(stats, Progress.NONE);
      assertThat(run.engine()).isEqualTo("spark");
      assertThat(run.workers()).isEqualTo(workers);
      assertThat(run.phase()).isEqualTo(Phase.STATS);
      assertThat(run.startupSeconds()).isPositive();
      assertThat(run.detail()).startsWith("local[" + workers + "], ");
      List<String> differences = new ArrayList<>(Agreement.summaries(summaries, run.results(), 10));
      EngineRun<GeneratedFile> generated = session.run(
          new GenerateWork(out.toString(), 3, 1_000, 7), Progress.NONE);
      differences.addAll(Agreement.files(files, digests(generated), 10));
      return differences;
    }

    private static List<FileDigest> digests(EngineRun<GeneratedFile> run) throws Exception {
      return FileDigest.of(run.results().stream().map(GeneratedFile::path).toList(), CONF);
    }
  }

  @Test
  void theSharedSessionGivesTheSequentialRowsAndFilesAndIsLeftRunning() throws Exception {
    Expected expected = Expected.of(tmp);
    SparkEngine engine = SparkEngine.local(QUIET, SharedSpark.engineSessions());
    assertThat(engine.name()).isEqualTo("spark");
    try (EngineSession s = engine.open(2)) {
      assertThat(expected.differences(s, 2, tmp.resolve("spark-2"))).isEmpty();
    }
    assertThat(SharedSpark.spark().sparkContext().isStopped()).isFalse();
    assertThatThrownBy(() -> engine.open(1))
        .hasMessage("spark: could not start Spark on local[1]: the shared test session runs"
            + " local[2,2]: give the spark engine 2 workers, not local[1]");
  }

  /**
   * By default each worker count gets a session of its own on local[W], stopped when done; run in
   * a child JVM, since that stops whatever session runs, the shared one included.
   */
  @Test
  void ownSessionsAreLocalWAndStopBetweenWorkerCounts() throws Exception {
    ChildJvm child = ChildJvm.logTo(tmp.resolve("own-sessions.log"), "1g");
    Process process = child.main(OwnSessions.class.getName(), tmp.toString());
    child.assertExit(process, 0, 180);
    assertThat(Files.readAllLines(child.log())).as(child.tail(100))
        .contains("local[1]: agrees, stopped", "local[2]: agrees, stopped");
  }

  /** The child of {@link #ownSessionsAreLocalWAndStopBetweenWorkerCounts}. */
  public static final class OwnSessions {
    public static void main(String[] args) throws Exception {
      Path tmp = Path.of(args[0]);
      Expected expected = Expected.of(tmp);
      SparkEngine engine = SparkEngine.local(QUIET);
      for (int workers : new int[] {1, 2}) {
        SparkSession spark;
        List<String> differences;
        try (EngineSession s = engine.open(workers)) {
          spark = SparkSession.getActiveSession().get();
          if (!spark.sparkContext().master().equals("local[" + workers + "]")) {
            throw new AssertionError("master " + spark.sparkContext().master());
          }
          differences = expected.differences(s, workers, tmp.resolve("spark-" + workers));
        }
        System.out.println("local[" + workers + "]: " + (differences.isEmpty() ? "agrees"
            : String.join("; ", differences)) + (spark.sparkContext().isStopped()
                ? ", stopped" : ", still running"));
      }
    }
  }

  @Test
  void aClusterNeedsAClusterMaster() {
    assertThatThrownBy(() -> SparkEngine.cluster("local[2]", QUIET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a cluster master: local[2]");
    assertThat(SparkEngine.cluster("spark://127.0.0.1:7077", QUIET).name()).isEqualTo("spark-cluster");
  }
}
