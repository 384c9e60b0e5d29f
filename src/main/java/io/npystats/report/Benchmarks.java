package io.npystats.report;

import io.npystats.engine.EngineRun;
import io.npystats.engine.SequentialEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
   * engine's measured runs of the same phase (NaN where there is none).
   */
  public static List<BenchmarkRow> rows(String runId, Instant startedAt, String input,
      Machine machine, List<Measured> runs) {
    Map<String, Double> baseline = new LinkedHashMap<>();
    for (Measured m : runs) {
      String phase = m.run().phase().label();
      if (m.run().engine().equals(SequentialEngine.NAME) && m.repeat() > 0
          && !baseline.containsKey(phase)) {
        baseline.put(phase, medianWork(runs, phase));
      }
    }
    List<BenchmarkRow> rows = new ArrayList<>(runs.size());
    for (Measured m : runs) {
      EngineRun<?> r = m.run();
      double work = Math.max(r.workSeconds(), 1e-9);
      double speedup = baseline.getOrDefault(r.phase().label(), Double.NaN) / work;
      rows.add(new BenchmarkRow(runId, startedAt, r.phase().label(), r.engine(), r.workers(),
          m.repeat(), r.files(), r.failed(), r.bytes(), r.wallSeconds(), r.startupSeconds(),
          r.workSeconds(), r.files() / work, r.bytes() / 1e6 / work, speedup,
          speedup / Math.max(1, r.workers()), r.cpuSeconds(), r.detail(), input, machine));
    }
    return rows;
  }

  private static double medianWork(List<Measured> runs, String phase) {
    List<Double> seconds = new ArrayList<>();
    for (Measured m : runs) {
      if (m.repeat() > 0 && m.run().phase().label().equals(phase)
          && m.run().engine().equals(SequentialEngine.NAME)) {
        seconds.add(m.run().workSeconds());
      }
    }
    seconds.sort(null);
    return seconds.get((seconds.size() - 1) / 2);
  }

  /**
   * The rows to show for {@code phase}: for each engine and worker count, the measured run with
   * the median work time (the lower of the two middle ones), in the order the engines ran.
   */
  public static List<BenchmarkRow> shown(List<BenchmarkRow> rows, String phase) {
    Map<String, List<BenchmarkRow>> groups = new LinkedHashMap<>();
    for (BenchmarkRow row : rows) {
      if (!row.warmup() && row.phase().equals(phase)) {
        groups.computeIfAbsent(row.engine() + "\t" + row.workers(), k -> new ArrayList<>()).add(row);
      }
    }
    List<BenchmarkRow> shown = new ArrayList<>();
    for (List<BenchmarkRow> group : groups.values()) {
      group.sort(Comparator.comparingDouble(BenchmarkRow::workSeconds));
      shown.add(group.get((group.size() - 1) / 2));
    }
    return shown;
  }
}
