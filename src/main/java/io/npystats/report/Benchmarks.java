package io.npystats.report;

import io.npystats.engine.EngineRun;
import io.npystats.engine.SequentialEngine;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns engine runs into benchmark rows, and picks the rows a table or a chart shows. */
public final class Benchmarks {
  /** An engine run and which of its repeats it was: 0 for the warm-up. */
  public record Measured(EngineRun<?> run, int repeat) {}

  private Benchmarks() {}

  /**
   * One row per run. Speedup and efficiency are against the median work time of the sequential
   * engine's measured runs of the same phase and number of files (NaN where there is none).
   */
  public static List<BenchmarkRow> rows(Instant startedAt, String input, Machine machine,
      List<Measured> runs) {
    Map<String, Double> baseline = new LinkedHashMap<>();
    for (Measured m : runs) {
      String key = baselineKey(m.run());
      if (m.run().engine().equals(SequentialEngine.NAME) && m.repeat() > 0
          && !baseline.containsKey(key)) {
        baseline.put(key, medianWork(runs, key));
      }
    }
    List<BenchmarkRow> rows = new ArrayList<>(runs.size());
    for (Measured m : runs) {
      EngineRun<?> r = m.run();
      double work = Math.max(r.workSeconds(), 1e-9);
      double speedup = baseline.getOrDefault(baselineKey(r), Double.NaN) / work;
      rows.add(new BenchmarkRow(Timestamp.from(startedAt), r.phase().label(), r.engine(), r.workers(),
          m.repeat(), r.files(), r.failed(), r.bytes(), r.wallSeconds(), r.startupSeconds(),
          r.workSeconds(), r.files() / work, r.bytes() / 1e6 / work, speedup,
          speedup / Math.max(1, r.workers()), r.cpuSeconds(), r.detail(), input, machine));
    }
    return rows;
  }

  private static String baselineKey(EngineRun<?> run) {
    return run.phase().label() + "\t" + run.files();
  }

  private static double medianWork(List<Measured> runs, String key) {
    List<Double> seconds = new ArrayList<>();
    for (Measured m : runs) {
      if (m.repeat() > 0 && baselineKey(m.run()).equals(key)
          && m.run().engine().equals(SequentialEngine.NAME)) {
        seconds.add(m.run().workSeconds());
      }
    }
    seconds.sort(null);
    return seconds.get((seconds.size() - 1) / 2);
  }

  /**
   * The measured runs of one engine, worker count and number of files: the run with the median
   * work time (the lower of the two middle ones), and the spread of all of them.
   */
  public record Summary(BenchmarkRow median, int runs, double minWorkSeconds,
      double maxWorkSeconds, double minWallSeconds, double maxWallSeconds) {
    public double minFilesPerSecond() {
      return median.files() / Math.max(maxWorkSeconds, 1e-9);
    }

    public double maxFilesPerSecond() {
      return median.files() / Math.max(minWorkSeconds, 1e-9);
    }

    /** Work seconds a file, from the median run. */
    public double workPerFile() {
      return median.workSeconds() / Math.max(1, median.files());
    }

    /** True when the median run's work is too short for its time to mean much. */
    public boolean tooShort() {
      return median.workSeconds() < SHORTEST_TRUSTED_SECONDS;
    }
  }

  /**
   * Work shorter than this is dominated by the clock, the scheduler and the odd collection
   * pause: a run of 10 ms moves by tens of percent from one repeat to the next.
   */
  public static final double SHORTEST_TRUSTED_SECONDS = 0.1;

  /**
   * The rows to show for {@code phase}: for each engine, worker count and number of files, the
   * measured run with the median work time, in the order the engines ran.
   */
  public static List<BenchmarkRow> shown(List<BenchmarkRow> rows, String phase) {
    return summaries(rows, phase).stream().map(Summary::median).toList();
  }

  /** As {@link #shown}, with each median run's spread over the repeats. */
  public static List<Summary> summaries(List<BenchmarkRow> rows, String phase) {
    Map<String, List<BenchmarkRow>> groups = new LinkedHashMap<>();
    for (BenchmarkRow row : rows) {
      if (!row.warmup() && row.phase().equals(phase)) {
        groups.computeIfAbsent(row.engine() + "\t" + row.workers() + "\t" + row.files(),
            k -> new ArrayList<>()).add(row);
      }
    }
    List<Summary> summaries = new ArrayList<>();
    for (List<BenchmarkRow> group : groups.values()) {
      group.sort(Comparator.comparingDouble(BenchmarkRow::workSeconds));
      DoubleSummaryStatistics wall = group.stream().mapToDouble(BenchmarkRow::wallSeconds)
          .summaryStatistics();
      summaries.add(new Summary(group.get((group.size() - 1) / 2), group.size(),
          group.get(0).workSeconds(), group.get(group.size() - 1).workSeconds(), wall.getMin(),
          wall.getMax()));
    }
    return summaries;
  }
}
