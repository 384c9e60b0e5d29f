package io.npystats.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.task.FileSummary;
import io.npystats.task.GeneratedFile;
import io.npystats.task.InputPaths;
import io.npystats.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every engine at several worker counts gives the sequential engine's rows, bit for bit: on
 * numpy's fixtures (refusals included) and on a generated folder. Generation writes identical
 * folders whichever engine runs it.
 */
class EnginesAgreeTest {
  static final Configuration CONF = new Configuration();

  @TempDir static Path tmp;
  static List<String> fixtures;
  static List<String> generated;

  record Case(String name, Engine engine, int workers) {
    @Override
    public String toString() {
      return name + " x" + workers;
    }
  }

  static Stream<Case> engines() {
    return Stream.of(
        new Case("threads", new ThreadPoolEngine(CONF), 1),
        new Case("threads", new ThreadPoolEngine(CONF), 3),
        new Case("thread-per-file", new ThreadPerFileEngine(CONF), 1),
        new Case("processes", new ProcessEngine(CONF), 1),
        new Case("processes", new ProcessEngine(CONF), 2));
  }

  @BeforeAll
  static void inputs() throws Exception {
    fixtures = InputPaths.list(Fixtures.dir().resolve("*.npy").toString(), CONF);
    String dir = tmp.resolve("generated").toString();
    try (EngineSession s = new SequentialEngine(CONF).open(1)) {
      s.run(new GenerateWork(dir, 7, 3_000, 12), Progress.NONE);
    }
    generated = InputPaths.list(dir, CONF);
  }

  static List<FileSummary> run(Engine engine, int workers, List<String> paths) throws Exception {
    try (EngineSession session = engine.open(workers)) {
      EngineRun<FileSummary> run = session.run(new StatsWork(paths), Progress.NONE);
      assertThat(run.files()).isEqualTo(paths.size());
      assertThat(run.phase()).isEqualTo(Phase.STATS);
      return run.results();
    }
  }

  @Test
  void sequentialMatchesNumpysManifest() throws Exception {
    List<FileSummary> rows = run(new SequentialEngine(CONF), 1, fixtures);
    for (Fixtures.Expected e : Fixtures.manifest()) {
      FileSummary row = rows.stream().filter(r -> r.path().endsWith("/" + e.file())).findFirst()
          .orElseThrow();
      assertThat(row.isOk()).as(e.file()).isEqualTo(!e.refuse());
      if (!e.refuse()) {
        assertThat(row.n()).as(e.file()).isEqualTo(e.n());
        Fixtures.assertClose(e.file() + " mean", row.mean(), e.mean());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void fixturesAndAGeneratedFolderGiveTheSequentialRows(Case c) throws Exception {
    List<String> paths = new ArrayList<>(fixtures);
    paths.addAll(generated);
    List<FileSummary> expected = run(new SequentialEngine(CONF), 1, paths);
    List<FileSummary> actual = run(c.engine(), c.workers(), paths);
    assertThat(Agreement.summaries(expected, actual, 10)).isEmpty();
    assertThat(actual).extracting(FileSummary::path).isEqualTo(paths);
    assertThat(actual.subList(0, fixtures.size())).filteredOn(r -> !r.isOk()).isNotEmpty();
    assertThat(actual.subList(fixtures.size(), paths.size())).allMatch(FileSummary::isOk)
        .extracting(FileSummary::n).containsOnly(3_000L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void generationWritesTheSameFolder(Case c) throws Exception {
    Path expectedDir = tmp.resolve("gen-sequential");
    Path actualDir = tmp.resolve("gen-" + c.name() + "-" + c.workers());
    List<FileDigest> expected = digests(new SequentialEngine(CONF), 1, expectedDir);
    List<FileDigest> actual = digests(c.engine(), c.workers(), actualDir);
    assertThat(Agreement.files(expected, actual, 10)).isEmpty();
    try (Stream<Path> files = Files.list(actualDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("file_0.npy", "file_1.npy", "file_2.npy", "file_3.npy", "file_4.npy");
    }
  }

  static List<FileDigest> digests(Engine engine, int workers, Path dir) throws Exception {
    try (EngineSession session = engine.open(workers)) {
      EngineRun<GeneratedFile> run = session.run(
          new GenerateWork(dir.toString(), 11, 2_000, 5), Progress.NONE);
      assertThat(run.phase()).isEqualTo(Phase.GENERATE);
      assertThat(run.bytes()).isEqualTo(5 * (128 + 8 * 2_000L));
      List<String> paths = new ArrayList<>();
      run.results().forEach(f -> paths.add(f.path()));
      return FileDigest.of(paths, CONF);
    }
  }

  @Test
  void agreementNamesTheFileAndTheFieldThatDiffer() {
    FileSummary a = new FileSummary("f.npy", "ok", null, "<f8", "(3,)", 3, 0.1, 1, -1, 1, 3, 0, 152, 0.01);
    FileSummary b = new FileSummary("f.npy", "ok", null, "<f8", "(3,)", 3, Math.nextUp(0.1), 1, -1, 1,
        3, 0, 152, 0.02);
    FileSummary nan = new FileSummary("f.npy", "ok", null, "<f8", "(3,)", 3, Double.NaN, Double.NaN,
        -1, 1, Double.NaN, 0, 152, 0.03);
    assertThat(Agreement.summaries(List.of(a), List.of(a), 10)).isEmpty();
    assertThat(Agreement.summaries(List.of(nan), List.of(nan), 10)).isEmpty();
    assertThat(Agreement.summaries(List.of(a), List.of(b), 10))
        .containsExactly("f.npy: mean 0.10000000000000002, expected 0.1");
    assertThat(Agreement.summaries(List.of(a), List.of(a, b), 10))
        .containsExactly("2 results, expected 1");
  }
}
