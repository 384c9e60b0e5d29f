package io.npystats.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.task.FileSummary;
import io.npystats.testing.Fixtures;
import io.npystats.testing.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Children that die, hang or print garbage fail the run with a message naming them and their files. */
class ProcessEngineTest {
  static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  /** Paths that need not exist: a missing file is a result row too, so children stay busy. */
  static List<String> paths(Path dir, int n) {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      paths.add(dir.resolve(String.format("missing-%05d.npy", i)).toString());
    }
    return paths;
  }

  static ProcessEngine scripted(String script, Duration ready, Duration silence) {
    return new ProcessEngine(CONF, List.of("sh", "-c", script), ready, silence);
  }

  static String run(ProcessEngine engine, int workers, List<String> paths) throws Exception {
    try (EngineSession session = engine.open(workers)) {
      session.run(new StatsWork(paths), Progress.NONE);
    }
    throw new AssertionError("the run should have failed");
  }

  @Test
  void childrenThatSummariseCompileWithC1AloneAndChildrenThatGenerateInlineTheSampler()
      throws Exception {
    List<String> command = ProcessEngine.defaultCommand();
    List<String> stats = ProcessEngine.commandFor(command, new StatsWork(List.of("a.npy")));
    List<String> generate = ProcessEngine.commandFor(command, new GenerateWork("/d", 1, 10, 40, 2));

    assertThat(stats.get(0)).isEqualTo(command.get(0)); // java itself first
    List<String> c1 = JvmOptions.bundled().forJvm("stats-child");
    assertThat(stats.subList(1, 1 + c1.size())).isEqualTo(c1).contains("-XX:TieredStopAtLevel=1");
    assertThat(stats.subList(1 + c1.size(), stats.size()))
        .isEqualTo(command.subList(1, command.size()));
    assertThat(generate.get(0)).isEqualTo(command.get(0));
    List<String> inline = JvmOptions.bundled().forJvm("generate-child");
    int options = inline.size();
    assertThat(generate.subList(1, 1 + options)).isEqualTo(inline).endsWith(
        "-XX:CompileCommand=quiet",
        "-XX:CompileCommand=inline,java.util.random.RandomGenerator::nextGaussian",
        "-XX:CompileCommand=inline,jdk.internal.util.random.RandomSupport::computeNextGaussian");
    assertThat(generate.subList(1 + options, generate.size()))
        .isEqualTo(command.subList(1, command.size()));
    assertThat(generate).noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
  }

  @Test
  void childrenThatGenerateTakeTheParentsCompilerDirectives() throws Exception {
    List<String> command = ProcessEngine.defaultCommand();
    List<String> parent = List.of("-Xmx1g", "-XX:+UnlockDiagnosticVMOptions",
        "-XX:CompilerDirectivesFile=/opt/npystats/conf/compiler-directives.json");
    GenerateWork generate = new GenerateWork("/d", 1, 10, 40, 2);

    List<String> child = ProcessEngine.commandFor(command, generate, parent);
    assertThat(child.subList(1, child.size() - command.size() + 1)).containsSubsequence(
        "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput",
        "-XX:CompilerDirectivesFile=/opt/npystats/conf/compiler-directives.json")
        .doesNotHaveDuplicates();
    assertThat(ProcessEngine.commandFor(command, generate, List.of("-Xmx1g")))
        .noneMatch(option -> option.contains("Directives"));
    assertThat(ProcessEngine.commandFor(command, new StatsWork(List.of("a.npy")), parent))
        .noneMatch(option -> option.contains("Directives")).contains("-XX:TieredStopAtLevel=1");
  }

  @Test
  void aChildKilledMidRunNamesItselfAndItsFiles() throws Exception {
    List<String> paths = paths(tmp, 40_000);
    AtomicReference<ProcessHandle> victim = new AtomicReference<>();
    Progress killOnFirstResult = files -> {
      if (victim.get() == null) {
        ProcessHandle child = ProcessHandle.current().children()
            .filter(p -> LocalCluster.commandLine(p).contains(ChildMain.class.getName()))
            .findFirst().orElseThrow();
        victim.set(child);
        child.destroyForcibly();
      }
    };
    try (EngineSession session = new ProcessEngine(CONF).open(2)) {
      assertThatThrownBy(() -> session.run(new StatsWork(paths), killOnFirstResult))
          .isInstanceOf(EngineException.class)
          .hasMessageMatching("(?s)processes: child [12] of 2 \\(pid " + victim.get().pid() + "\\)"
              + " was killed by signal 9 \\(exit code 137\\), after \\d+ of its 20000 files\\."
              + " Its files: .*missing-\\d{5}\\.npy, .*missing-\\d{5}\\.npy, \\.\\.\\.,"
              + " .*missing-\\d{5}\\.npy \\(20000 files, items (0 to 19999|20000 to 39999) of 40000\\)\\."
              + " No result for: .*");
    }
    assertThat(victim.get().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(ProcessHandle.current().children()
        .filter(p -> LocalCluster.commandLine(p).contains(ChildMain.class.getName()))
        .map(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join())
        .filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void aLineThatIsNotAResultFailsTheRunAndNamesTheLine() {
    ProcessEngine engine = scripted(
        "cat >/dev/null; printf 'npystats-child\\t2\\tready\\t2\\n'; echo 'hello world'; exec sleep 30",
        Duration.ofSeconds(30), Duration.ofSeconds(30));
    List<String> paths = List.of("/data/a.npy", "/data/b.npy", "/data/c.npy", "/data/d.npy");
    assertThatThrownBy(() -> run(engine, 2, paths))
        .isInstanceOf(EngineException.class)
        .hasMessageMatching("processes: child [12] of 2 \\(pid \\d+\\) printed something that is not the"
            + " protocol: expected a result line, found 'hello world', after 0 of its 2 files\\."
            + " Its files: /data/[ac]\\.npy, /data/[bd]\\.npy \\(2 files, items [02] to [13] of 4\\)\\."
            + " No result for: /data/[ac]\\.npy, /data/[bd]\\.npy \\(2 files, items [02] to [13] of 4\\)");
  }

  @Test
  void aChildThatExitsEarlyShowsItsExitCodeAndErrorOutput() {
    ProcessEngine engine = scripted("cat >/dev/null; echo 'no memory left' >&2; exit 3",
        Duration.ofSeconds(30), Duration.ofSeconds(30));
    assertThatThrownBy(() -> run(engine, 1, List.of("/data/a.npy")))
        .isInstanceOf(EngineException.class)
        .hasMessageMatching("processes: child 1 of 1 \\(pid \\d+\\) exited with code 3, after 0 of its"
            + " 1 files\\. Its files: /data/a\\.npy \\(1 file, items 0 to 0 of 1\\)\\. No result for:"
            + " /data/a\\.npy \\(1 file, items 0 to 0 of 1\\)\\. Its last error output: no memory left");
  }

  @Test
  void aChildThatNeverSaysReadyTimesOut() {
    ProcessEngine engine = scripted("exec sleep 30", Duration.ofMillis(300), Duration.ofSeconds(30));
    assertThatThrownBy(() -> run(engine, 1, List.of("/data/a.npy")))
        .isInstanceOf(EngineException.class)
        .hasMessageStartingWith("processes: child 1 of 1 (pid ")
        .hasMessageContaining(") did not say it was ready within 300 ms, after 0 of its 1 files."
            + " Its files: /data/a.npy");
  }

  @Test
  void aChildThatFallsSilentTimesOut() {
    ProcessEngine engine = scripted(
        "cat >/dev/null; printf 'npystats-child\\t2\\tready\\t1\\n'; exec sleep 30",
        Duration.ofSeconds(30), Duration.ofMillis(300));
    assertThatThrownBy(() -> run(engine, 1, List.of("/data/a.npy")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(") sent nothing for 300 ms, after 0 of its 1 files.");
  }

  @Test
  void pathsWithTabsNewlinesAndBackslashesCrossThePipeIntact() throws Exception {
    Path odd = tmp.resolve("tab\there, new\nline and back\\slash.npy");
    Files.copy(Fixtures.dir().resolve("small_f8.npy"), odd);
    List<String> paths = List.of(odd.toString(), Fixtures.dir().resolve("with_nan.npy").toString(),
        Fixtures.dir().resolve("bad_magic.npy").toString());
    List<FileSummary> expected;
    try (EngineSession s = new SequentialEngine(CONF).open(1)) {
      expected = s.run(new StatsWork(paths), Progress.NONE).results();
    }
    try (EngineSession s = new ProcessEngine(CONF).open(2)) {
      EngineRun<FileSummary> run = s.run(new StatsWork(paths), Progress.NONE);
      assertThat(run.results()).extracting(FileSummary::path).isEqualTo(paths);
      assertThat(Agreement.summaries(expected, run.results(), 10)).isEmpty();
      assertThat(run.results().get(0).isOk()).isTrue();
      assertThat(run.results().get(1).mean()).isNaN();
      assertThat(run.results().get(2).error()).isEqualTo(expected.get(2).error()).contains("\\x93NUMPY");
      assertThat(run.workers()).isEqualTo(2);
      assertThat(run.detail()).matches("child start-up \\d+\\.\\d\\d, \\d+\\.\\d\\d s");
      assertThat(run.cpuSeconds()).isPositive();
    }
  }

  @Test
  void noFilesStartNoChildren() throws Exception {
    try (EngineSession s = new ProcessEngine(CONF).open(4)) {
      EngineRun<FileSummary> run = s.run(new StatsWork(List.of()), Progress.NONE);
      assertThat(run.files()).isZero();
      assertThat(run.workers()).isZero();
    }
  }
}
