package io.npystats.cli;

import io.npystats.engine.Agreement;
import io.npystats.engine.Engine;
import io.npystats.engine.EngineException;
import io.npystats.engine.EngineRun;
import io.npystats.engine.EngineSession;
import io.npystats.engine.FileDigest;
import io.npystats.engine.GenerateWork;
import io.npystats.engine.Phase;
import io.npystats.engine.ProcessEngine;
import io.npystats.engine.SequentialEngine;
import io.npystats.engine.StatsWork;
import io.npystats.engine.ThreadPerFileEngine;
import io.npystats.engine.ThreadPoolEngine;
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
import io.npystats.task.GenerateFile;
import io.npystats.task.GeneratedFile;
import io.npystats.task.InputPaths;
import io.npystats.task.Stores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/**
 * The {@code compare} run: every engine at every worker count on the same files, each checked
 * against the sequential engine's answers, then the table, the {@code benchmarks} rows, the chart
 * and the report. Driver-only.
 */
final class Comparison {
  /** Engine names, in the order they run; sequential first, as the reference. */
  static final List<String> ENGINES = List.of(SequentialEngine.NAME, ThreadPoolEngine.NAME,
      ThreadPerFileEngine.NAME, ProcessEngine.NAME, SparkEngine.LOCAL, SparkEngine.CLUSTER);

  private static final int DIFFERENCES_SHOWN = 10;

  /**
   * What to compare.
   *
   * @param input a folder, glob or list of files to read, or null to generate the files
   * @param files the numbers of files to run on, ascending: each is the first so many files of
   *     the input (the files of the lowest indexes when generated); empty for every file of the
   *     input. More than one is a sweep, which shows where start-up stops mattering.
   * @param engines names from {@link #ENGINES}; sequential runs whether named or not
   * @param master the cluster for {@code spark-cluster}, or null
   * @param sparkSettings Spark settings for the sessions the spark engines start
   */
  record Settings(String input, List<Long> files, long samples, long seed, List<Integer> workers,
      List<String> engines, Set<Phase> phases, int repeats, String warehouse, Path reportDir,
      String workDir, String runId, String master, Map<String, String> sparkSettings,
      boolean progress) {}

  /** What a comparison produced, for the demo to point at. */
  record Outcome(String runId, List<BenchmarkRow> rows, Report.Written report, long failedFiles) {}

  private final Settings settings;
  private final PrintWriter out;
  private final Configuration conf;
  private final List<Benchmarks.Measured> measured = new ArrayList<>();

  Comparison(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
    this.conf = hadoopConf();
  }

  /**
   * The Hadoop settings a Spark session would get: defaults, the application's own
   * ({@link SparkSessions#DEFAULTS}), then every {@code spark.hadoop.*} given. The application's
   * matter here: Hadoop caches one local file system per JVM for whichever configuration asks
   * first, and without them the benchmarks table would be written with a {@code .crc} per file.
   */
  static Configuration hadoopConf() {
    Configuration conf = new Configuration();
    Map<String, String> settings = new LinkedHashMap<>(SparkSessions.DEFAULTS);
    for (Tuple2<String, String> entry : new SparkConf().getAll()) {
      settings.put(entry._1(), entry._2());
    }
    settings.forEach((key, value) -> {
      if (key.startsWith("spark.hadoop.")) {
        conf.set(key.substring("spark.hadoop.".length()), value);
      }
    });
    return conf;
  }

  Outcome run() throws Exception {
    Instant startedAt = Instant.now();
    List<List<String>> inputs = settings.phases().contains(Phase.STATS) ? inputPaths() : List.of();
    List<Engine> engines = engines();
    String description = null;
    long failedFiles = 0;
    if (settings.phases().contains(Phase.STATS)) {
      List<Work<FileSummary>> works = new ArrayList<>();
      inputs.forEach(paths -> works.add(new StatsWork(paths)));
      Map<Integer, List<FileSummary>> reference = new LinkedHashMap<>();
      for (Engine engine : engines) {
        for (int workers : workerCounts(engine)) {
          for (EngineRun<FileSummary> run : runAll(engine, workers, works)) {
            List<FileSummary> expected = reference.putIfAbsent(run.files(), run.results());
            if (expected != null) {
              check(run, Agreement.summaries(expected, run.results(), DIFFERENCES_SHOWN));
            }
          }
        }
      }
      List<FileSummary> all = reference.get(inputs.get(inputs.size() - 1).size());
      long bytes = all.stream().mapToLong(s -> Math.max(0, s.bytes())).sum();
      failedFiles = all.stream().filter(s -> !s.isOk()).count();
      description = String.format(Locale.ROOT, "%s files (%,.1f MB%s) in %s",
          sizes(inputs.stream().map(p -> (long) p.size()).toList()), bytes / 1e6,
          inputs.size() > 1 ? String.format(Locale.ROOT, " for %,d", all.size()) : "",
          settings.input() != null ? settings.input() : generatedInput());
    }
    if (settings.phases().contains(Phase.GENERATE)) {
      compareGeneration(engines);
      String generated = String.format(Locale.ROOT, "%s files of %,d samples written",
          sizes(settings.files()), settings.samples());
      description = description == null ? generated : description + "; " + generated;
    }

    Machine machine = Machine.current();
    List<BenchmarkRow> rows = Benchmarks.rows(settings.runId(), startedAt, description, machine,
        measured);
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

  private List<Engine> engines() {
    List<Engine> engines = new ArrayList<>();
    for (String name : ENGINES) {
      if (!name.equals(SequentialEngine.NAME) && !settings.engines().contains(name)) {
        continue;
      }
      Map<String, String> spark = new LinkedHashMap<>(settings.sparkSettings());
      spark.putIfAbsent("spark.ui.showConsoleProgress", Boolean.toString(settings.progress()));
      engines.add(switch (name) {
        case SequentialEngine.NAME -> new SequentialEngine(conf);
        case ThreadPoolEngine.NAME -> new ThreadPoolEngine(conf);
        case ThreadPerFileEngine.NAME -> new ThreadPerFileEngine(conf);
        case ProcessEngine.NAME -> new ProcessEngine(conf);
        case SparkEngine.LOCAL -> SparkEngine.local(localSettings(spark));
        case SparkEngine.CLUSTER -> SparkEngine.cluster(settings.master(), spark);
        default -> throw new IllegalArgumentException("unknown engine " + name);
      });
    }
    return engines;
  }

  /**
   * A local session with authentication on makes up a secret of its own and leaves it in the
   * JVM's Hadoop credentials, where Spark looks first; the cluster's session and the session that
   * writes the benchmarks table would then present it to the cluster instead of the cluster's
   * own. Local sessions need no authentication: nothing outside the JVM talks to them.
   */
  private Map<String, String> localSettings(Map<String, String> spark) {
    Map<String, String> local = new LinkedHashMap<>(spark);
    if (settings.master() != null) {
      local.put("spark.authenticate", "false");
    }
    return local;
  }

  /** Sequential runs on one thread, thread-per-file on one per file, a cluster on what it has. */
  private List<Integer> workerCounts(Engine engine) {
    return switch (engine.name()) {
      case SequentialEngine.NAME, ThreadPerFileEngine.NAME -> List.of(1);
      case SparkEngine.CLUSTER -> List.of(settings.workers().get(settings.workers().size() - 1));
      default -> settings.workers();
    };
  }

  /**
   * For each work, smallest first, a warm-up run and then the measured repeats, all in one
   * session: a session's start-up is paid once, as a user running one size would pay it.
   */
  private <R> List<EngineRun<R>> runAll(Engine engine, int workers, List<Work<R>> works)
      throws EngineException {
    List<EngineRun<R>> all = new ArrayList<>();
    try (EngineSession session = engine.open(workers)) {
      for (Work<R> work : works) {
        List<EngineRun<R>> runs = new ArrayList<>();
        for (int repeat = 0; repeat <= settings.repeats(); repeat++) {
          String task = String.format(Locale.ROOT, "%s %s %d%s", work.phase().label(),
              engine.name(), workers, repeat == 0 ? " warm-up" : "");
          boolean bar = settings.progress() && !engine.name().startsWith(SparkEngine.LOCAL);
          EngineRun<R> run;
          try (ConsoleProgress progress = ConsoleProgress.start(task, work.size(), bar)) {
            run = session.run(work, progress);
          }
          runs.add(run);
          measured.add(new Benchmarks.Measured(run, repeat));
        }
        printRuns(runs, works.size() > 1);
        all.addAll(runs);
      }
    }
    return all;
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

  // ---- input

  /** e.g. {@code 200}, or {@code 200, 2,000 and 20,000} for a sweep. */
  private static String sizes(List<Long> sizes) {
    List<String> each = sizes.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).toList();
    return each.size() == 1 ? each.get(0) : String.join(", ", each.subList(0, each.size() - 1))
        + " and " + each.get(each.size() - 1);
  }

  private long largest() {
    return settings.files().get(settings.files().size() - 1);
  }

  private String generatedInput() {
    return new org.apache.hadoop.fs.Path(settings.workDir(), String.format(Locale.ROOT,
        "files-%dx%d-seed%d", largest(), settings.samples(), settings.seed())).toString();
  }

  /**
   * The files to summarise, one list per size: the input named, or a generated folder kept for
   * the next compare. A generated file depends only on the seed and its index, so the sizes of a
   * sweep share one folder of the largest size.
   */
  private List<List<String>> inputPaths() throws IOException, EngineException {
    List<String> all;
    if (settings.input() != null) {
      all = byIndex(InputPaths.list(settings.input(), conf));
    } else {
      String dir = generatedInput();
      GenerateFile.removeTemporaries(dir, conf);
      out.printf("input: %,d files of %,d samples in %s (written once, then kept)%n",
          largest(), settings.samples(), dir);
      out.flush();
      GenerateWork work = new GenerateWork(dir, settings.seed(), settings.samples(),
          Math.toIntExact(largest()));
      int cores = Runtime.getRuntime().availableProcessors();
      try (EngineSession pool = new ThreadPoolEngine(conf).open(cores);
          ConsoleProgress progress = ConsoleProgress.start("input", work.size(), settings.progress())) {
        pool.run(work, progress);
      }
      all = byIndex(InputPaths.list(dir, conf));
    }
    if (settings.files().isEmpty()) {
      return List.of(all);
    }
    List<List<String>> inputs = new ArrayList<>();
    for (long size : settings.files()) {
      if (size > all.size()) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s holds %,d files, fewer"
            + " than the %,d asked for", settings.input(), all.size(), size));
      }
      inputs.add(all.subList(0, Math.toIntExact(size)));
    }
    return inputs;
  }

  /**
   * Paths named {@code NAME_INDEX.EXT} in the order of their index, so that the first N of a
   * generated folder are files 0 to N-1; others after them, in name order.
   */
  private static List<String> byIndex(List<String> paths) {
    List<String> sorted = new ArrayList<>(paths);
    sorted.sort(Comparator.comparingLong(Comparison::index).thenComparing(Comparator.naturalOrder()));
    return sorted;
  }

  private static long index(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    try {
      return Long.parseLong(name.substring(name.indexOf('_') + 1, name.lastIndexOf('.')));
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }

  // ---- generation

  /**
   * Every engine writes the same files into a folder of its own, a new one for every run; each
   * folder's lengths and CRC-32Cs must equal the sequential engine's.
   *
   * <p>Nothing is deleted until the last run has ended. On ext4 without a journal, every file
   * created skips past the inodes freed in the last few minutes, and deleting a run's folder
   * before the next one wrote made each later run slower than the one before
   * (docs/performance.md). Once checked, a run's files are emptied instead, which frees their
   * space and their page cache but no inode; the folders go when the phase ends.
   */
  private void compareGeneration(List<Engine> engines) throws IOException, EngineException {
    String phaseDir = new org.apache.hadoop.fs.Path(settings.workDir(), "generate").toString();
    delete(phaseDir); // what a killed comparison left
    try {
      Map<Long, List<FileDigest>> reference = new LinkedHashMap<>();
      for (Engine engine : engines) {
        for (int workers : workerCounts(engine)) {
          try (EngineSession session = engine.open(workers)) {
            for (long files : settings.files()) {
              printRuns(generateRuns(session, engine.name(), workers, files, phaseDir, reference),
                  settings.files().size() > 1);
            }
          }
        }
      }
    } finally {
      delete(phaseDir);
    }
  }

  /** The warm-up and the repeats of one engine, worker count and number of files. */
  private List<EngineRun<GeneratedFile>> generateRuns(EngineSession session, String engine,
      int workers, long files, String phaseDir, Map<Long, List<FileDigest>> reference)
      throws IOException, EngineException {
    List<EngineRun<GeneratedFile>> runs = new ArrayList<>();
    for (int repeat = 0; repeat <= settings.repeats(); repeat++) {
      String dir = new org.apache.hadoop.fs.Path(phaseDir,
          engine + "-" + workers + "-" + files + "-" + repeat).toString();
      GenerateWork work = new GenerateWork(dir, settings.seed(), settings.samples(),
          Math.toIntExact(files));
      String task = String.format(Locale.ROOT, "generate %s %d%s", engine, workers,
          repeat == 0 ? " warm-up" : "");
      boolean bar = settings.progress() && !engine.startsWith(SparkEngine.LOCAL);
      EngineRun<GeneratedFile> run;
      try (ConsoleProgress progress = ConsoleProgress.start(task, work.size(), bar)) {
        run = session.run(work, progress);
      }
      List<String> written = new ArrayList<>();
      run.results().forEach(f -> written.add(f.path()));
      List<FileDigest> digests = FileDigest.of(written, conf);
      List<FileDigest> expected = reference.putIfAbsent(files, digests);
      if (expected != null) {
        check(run, Agreement.files(expected, digests, DIFFERENCES_SHOWN));
      }
      empty(written);
      runs.add(run);
      measured.add(new Benchmarks.Measured(run, repeat));
    }
    return runs;
  }

  /**
   * Truncates every file to nothing, keeping its inode (see {@link #compareGeneration}); a store
   * that cannot truncate, as object stores cannot, deletes the file instead.
   */
  private void empty(List<String> files) throws IOException {
    for (String file : files) {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
      FileSystem fs = Stores.of(path, conf);
      try {
        fs.truncate(path, 0); // false only says that HDFS finishes it in the background
      } catch (UnsupportedOperationException e) {
        fs.delete(path, false);
      }
    }
  }

  private void delete(String dir) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
    Stores.of(path, conf).delete(path, true);
  }

  // ---- the benchmarks table

  private void writeTable(List<BenchmarkRow> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (BenchmarkRow r : rows) {
      Machine m = r.machine();
      out.add(RowFactory.create(r.runId(), Timestamp.from(r.startedAt()), r.phase(), r.engine(),
          r.workers(), r.repeat(), r.warmup(), r.files(), r.failed(), r.bytes(), r.wallSeconds(),
          r.startupSeconds(), r.workSeconds(), r.filesPerSecond(), r.megabytesPerSecond(),
          r.speedup(), r.efficiency(), r.cpuSeconds(), r.detail(), r.input(), m.cores(),
          m.memoryBytes(), m.javaVersion(), m.os()));
    }
    try (SparkSessions.Handle session = SparkSessions.open("npystats compare")) {
      BenchmarkTable.write(session.spark(), settings.warehouse(), out);
    }
  }
}
