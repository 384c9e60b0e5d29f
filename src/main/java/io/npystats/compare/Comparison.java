package io.npystats.compare;

import io.npystats.engine.Agreement;
import io.npystats.engine.Engine;
import io.npystats.engine.EngineException;
import io.npystats.engine.EngineRun;
import io.npystats.engine.EngineSession;
import io.npystats.engine.FileDigest;
import io.npystats.engine.GenerateWork;
import io.npystats.engine.Phase;
import io.npystats.engine.SequentialEngine;
import io.npystats.engine.StatsWork;
import io.npystats.engine.Work;
import io.npystats.report.BenchmarkRow;
import io.npystats.report.Benchmarks;
import io.npystats.report.Machine;
import io.npystats.report.Report;
import io.npystats.report.Story;
import io.npystats.report.TextTables;
import io.npystats.spark.BenchmarkTable;
import io.npystats.spark.SparkEngine;
import io.npystats.spark.SparkSessions;
import io.npystats.task.FileSummary;
import io.npystats.task.GeneratedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The {@code compare} run: every engine at every worker count on the same files, each checked
 * against the sequential engine's answers, then the table, the {@code benchmarks} rows, the chart
 * and the report. Driver-only.
 */
public final class Comparison {
  private static final int DIFFERENCES_SHOWN = 10;

  /** What a comparison produced, for the command to point at. */
  public record Outcome(String runId, List<BenchmarkRow> rows, Report.Written report,
      long failedFiles) {}

  private final ComparisonSettings settings;
  private final PrintWriter out;
  private final Configuration conf;
  private final SparkEngine.Sessions sparkSessions;
  private final List<Benchmarks.Measured> measured = new ArrayList<>();

  /** A comparison whose {@code spark} engine starts a session of its own per worker count. */
  public Comparison(ComparisonSettings settings, PrintWriter out) {
    this(settings, out, SparkSessions::start);
  }

  /** @param sparkSessions where the {@code spark} engine's sessions come from */
  public Comparison(ComparisonSettings settings, PrintWriter out,
      SparkEngine.Sessions sparkSessions) {
    this.settings = settings;
    this.out = out;
    this.conf = SparkSessions.hadoopConfiguration();
    this.sparkSessions = sparkSessions;
  }

  public Outcome run() throws Exception {
    Instant startedAt = Instant.now();
    List<List<String>> inputs = settings.phases().contains(Phase.STATS)
        ? Inputs.paths(settings, conf, out) : List.of();
    List<Engine> engines = Engines.of(settings, conf, sparkSessions);
    String description = null;
    long failedFiles = 0;
    if (settings.phases().contains(Phase.STATS)) {
      List<FileSummary> all = compareStats(engines, inputs);
      long bytes = all.stream().mapToLong(s -> Math.max(0, s.bytes())).sum();
      failedFiles = all.stream().filter(s -> !s.isOk()).count();
      description = String.format(Locale.ROOT, "%s files (%,.1f MB%s) in %s",
          sizes(inputs.stream().map(p -> (long) p.size()).toList()), bytes / 1e6,
          inputs.size() > 1 ? String.format(Locale.ROOT, " for %,d", all.size()) : "",
          settings.input() != null ? settings.input() : Inputs.generatedFolder(settings));
    }
    if (settings.phases().contains(Phase.GENERATE)) {
      compareGeneration(engines);
      String generated = String.format(Locale.ROOT, "%s files of %,d samples written",
          sizes(settings.files()), settings.samples());
      description = description == null ? generated : description + "; " + generated;
    }

    Machine machine = Machine.current();
    List<BenchmarkRow> rows = Benchmarks.rows(startedAt, description, machine, measured);
    String agreement = "Every engine gave the same results as " + SequentialEngine.NAME
        + " for every file, bit for bit" + (settings.phases().contains(Phase.GENERATE)
            ? " (statistics: n, mean, std, min, max, m2, status; generated files: length and"
                + " CRC-32C)." : ": n, mean, std, min, max, m2 and status.");
    List<String> warnings = new ArrayList<>();
    for (Phase phase : settings.phases()) {
      List<Benchmarks.Summary> shown = Benchmarks.summaries(rows, phase.label());
      out.println();
      out.printf("%s, %s:%n", phase.label(), description);
      out.print(TextTables.text(shown));
      String warning = Story.warning(shown);
      if (warning != null) {
        warnings.add(warning);
      }
    }
    out.println(agreement);
    out.println("Work excludes start-up; files/s, speedup and efficiency are over work seconds;"
        + (settings.repeats() > 1 ? " each row is the median of " + settings.repeats() + " runs."
            : " one run each."));
    for (String warning : warnings) {
      out.println("warning: " + warning);
    }

    writeTable(rows);
    Map<String, String> about = new LinkedHashMap<>();
    engines.forEach(e -> about.put(e.name(), e.about()));
    Report.Written report = Report.write(settings.reportDir(), new Report.Content(settings.runId(),
        machine, description, settings.repeats(), agreement, about, rows));
    out.flush();
    return new Outcome(settings.runId(), rows, report, failedFiles);
  }

  /**
   * What one phase runs and how each run is checked; {@link #measure} does the rest.
   *
   * @param <R> the result of one file
   */
  private interface Plan<R> {
    /** The work of run {@code repeat} (0 is the warm-up) on the {@code size}-th size. */
    Work<R> work(int size, String engine, int workers, int repeat);

    /** Throws if {@code run} disagrees with the reference; runs before the next run starts. */
    void check(int size, EngineRun<R> run) throws IOException;
  }

  /**
   * Every engine at each of its worker counts, in one session per engine and worker count: a
   * session's start-up is paid once, as a user running one size would pay it. For each size,
   * smallest first, a warm-up run and then the measured repeats, every one of them kept as a row.
   */
  private <R> void measure(List<Engine> engines, int sizes, Plan<R> plan)
      throws IOException, EngineException {
    for (Engine engine : engines) {
      for (int workers : Engines.workerCounts(engine, settings.workers())) {
        try (EngineSession session = engine.open(workers)) {
          for (int size = 0; size < sizes; size++) {
            List<EngineRun<R>> runs = new ArrayList<>();
            for (int repeat = 0; repeat <= settings.repeats(); repeat++) {
              Work<R> work = plan.work(size, engine.name(), workers, repeat);
              String task = String.format(Locale.ROOT, "%s %s %d%s", work.phase().label(),
                  engine.name(), workers, repeat == 0 ? " warm-up" : "");
              boolean bar = settings.progress() && !engine.name().startsWith(SparkEngine.LOCAL);
              EngineRun<R> run;
              try (ConsoleProgress progress = ConsoleProgress.start(task, work.size(), bar)) {
                run = session.run(work, progress);
              }
              plan.check(size, run);
              runs.add(run);
              measured.add(new Benchmarks.Measured(run, repeat));
            }
            printRuns(runs, sizes > 1);
          }
        }
      }
    }
  }

  /** Returns the reference's summaries of the largest input. */
  private List<FileSummary> compareStats(List<Engine> engines, List<List<String>> inputs)
      throws IOException, EngineException {
    List<Work<FileSummary>> works = inputs.stream().<Work<FileSummary>>map(StatsWork::new).toList();
    Map<Integer, List<FileSummary>> reference = new HashMap<>();
    measure(engines, works.size(), new Plan<FileSummary>() {
      @Override
      public Work<FileSummary> work(int size, String engine, int workers, int repeat) {
        return works.get(size);
      }

      @Override
      public void check(int size, EngineRun<FileSummary> run) {
        List<FileSummary> expected = reference.putIfAbsent(size, run.results());
        if (expected != null) {
          Comparison.check(run, Agreement.summaries(expected, run.results(), DIFFERENCES_SHOWN));
        }
      }
    });
    return reference.get(works.size() - 1);
  }

  /**
   * Every engine writes the same files into a folder of its own, a new one for every run; each
   * folder's lengths and CRC-32Cs must equal the sequential engine's. Nothing is deleted until the
   * last run has ended; a checked run's files are emptied instead ({@link WrittenFiles}).
   */
  private void compareGeneration(List<Engine> engines) throws IOException, EngineException {
    String phaseDir = new org.apache.hadoop.fs.Path(settings.workDir(), "generate").toString();
    WrittenFiles.deleteFolder(phaseDir, conf); // what a killed comparison left
    try {
      Map<Integer, List<FileDigest>> reference = new HashMap<>();
      measure(engines, settings.files().size(), new Plan<GeneratedFile>() {
        @Override
        public Work<GeneratedFile> work(int size, String engine, int workers, int repeat) {
          long files = settings.files().get(size);
          String dir = new org.apache.hadoop.fs.Path(phaseDir,
              engine + "-" + workers + "-" + files + "-" + repeat).toString();
          return new GenerateWork(dir, settings.seed(), settings.samples(), Math.toIntExact(files));
        }

        @Override
        public void check(int size, EngineRun<GeneratedFile> run) throws IOException {
          List<String> written = run.results().stream().map(GeneratedFile::path).toList();
          List<FileDigest> digests = FileDigest.of(written, conf);
          List<FileDigest> expected = reference.putIfAbsent(size, digests);
          if (expected != null) {
            Comparison.check(run, Agreement.files(expected, digests, DIFFERENCES_SHOWN));
          }
          WrittenFiles.empty(written, conf);
        }
      });
    } finally {
      WrittenFiles.deleteFolder(phaseDir, conf);
    }
  }

  private void printRuns(List<? extends EngineRun<?>> runs, boolean sweep) {
    EngineRun<?> first = runs.get(0);
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %-15s %5d%s  start-up"
        + " %.2f s, warm-up %.2f s", first.phase().label(), first.engine(), first.workers(),
        sweep ? String.format(Locale.ROOT, " %,9d files", first.files()) : "",
        first.startupSeconds(), first.workSeconds()));
    for (EngineRun<?> run : runs.subList(1, runs.size())) {
      b.append(String.format(Locale.ROOT, ", run %.2f s (%,.0f files/s)", run.workSeconds(),
          run.files() / Math.max(run.workSeconds(), 1e-9)));
    }
    out.println(b);
    out.flush();
  }

  private static void check(EngineRun<?> run, List<String> differences) {
    if (!differences.isEmpty()) {
      throw new IllegalStateException(run.engine() + " with " + run.workers() + " workers gave"
          + " results that differ from " + SequentialEngine.NAME + "'s:\n  "
          + String.join("\n  ", differences));
    }
  }

  /** e.g. {@code 200}, or {@code 200, 2,000 and 20,000} for a sweep. */
  private static String sizes(List<Long> sizes) {
    List<String> each = sizes.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).toList();
    return each.size() == 1 ? each.get(0) : String.join(", ", each.subList(0, each.size() - 1))
        + " and " + each.get(each.size() - 1);
  }

  private void writeTable(List<BenchmarkRow> rows) {
    try (SparkSessions.Handle session = SparkSessions.open("npystats compare")) {
      BenchmarkTable.write(session.spark(), settings.warehouse(), settings.runId(),
          BenchmarkRow.COLUMNS, rows);
    }
  }
}
