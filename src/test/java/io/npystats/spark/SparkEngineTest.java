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
import io.npystats.testing.Fixtures;
import java.nio.file.Path;
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

  @Test
  void localSessionsGiveTheSequentialRowsAndFilesAndStopBetweenSizes() throws Exception {
    List<String> paths = InputPaths.list(Fixtures.dir().resolve("*.npy").toString(), CONF);
    StatsWork stats = new StatsWork(paths);
    List<FileSummary> expected;
    List<FileDigest> expectedFiles;
    try (EngineSession s = new SequentialEngine(CONF).open(1)) {
      expected = s.run(stats, Progress.NONE).results();
      EngineRun<GeneratedFile> run = s.run(new GenerateWork(tmp.resolve("seq").toString(), 3, 1_000, 7),
          Progress.NONE);
      expectedFiles = FileDigest.of(run.results().stream().map(GeneratedFile::path).toList(), CONF);
    }
    SparkEngine engine = SparkEngine.local(QUIET);
    assertThat(engine.name()).isEqualTo("spark");
    for (int workers : new int[] {1, 2}) {
      SparkSession spark;
      try (EngineSession s = engine.open(workers)) {
        spark = SparkSession.getActiveSession().get();
        assertThat(spark.sparkContext().master()).isEqualTo("local[" + workers + "]");
        EngineRun<FileSummary> run = s.run(stats, Progress.NONE);
        assertThat(run.engine()).isEqualTo("spark");
        assertThat(run.workers()).isEqualTo(workers);
        assertThat(run.phase()).isEqualTo(Phase.STATS);
        assertThat(run.startupSeconds()).isPositive();
        assertThat(run.detail()).startsWith("local[" + workers + "], ");
        assertThat(Agreement.summaries(expected, run.results(), 10)).isEmpty();

        EngineRun<GeneratedFile> generated = s.run(
            new GenerateWork(tmp.resolve("spark-" + workers).toString(), 3, 1_000, 7), Progress.NONE);
        List<FileDigest> files =
            FileDigest.of(generated.results().stream().map(GeneratedFile::path).toList(), CONF);
        assertThat(Agreement.files(expectedFiles, files, 10)).isEmpty();
      }
      assertThat(spark.sparkContext().isStopped()).isTrue();
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
