package io.npystats.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one phase's measurements say, in sentences made from them: which engine finished first
 * and why, what each engine's start-up cost against its work, from how many files that start-up
 * stops mattering, and what a cluster buys. Every figure comes from the rows; nothing here is
 * true of every run.
 *
 * <p>The crossovers take each run as start-up plus a fixed work time a file, from the largest
 * number of files measured: a run of N files then takes {@code S + N w}, and two engines swap
 * places where those lines cross.
 */
public final class Story {
  /** Start-up stops mattering where it is under this share of the wall time. */
  static final double NEGLIGIBLE_SHARE = 0.1;
  /** Start-ups closer than this are the same: a pool of threads starts in about a millisecond. */
  static final double SAME_STARTUP_SECONDS = 0.005;
  /** Work a file closer than this share is the same: repeats of one run differ by more. */
  static final double SAME_WORK_SHARE = 0.05;
  private static final String SEQUENTIAL = "sequential";
  private static final String SPARK = "spark";
  private static final String CLUSTER = "spark-cluster";

  private Story() {}

  /** One line per summary whose work was too short to trust, empty when there is none. */
  public static List<String> warnings(List<Benchmarks.Summary> rows) {
    List<String> lines = new ArrayList<>();
    for (Benchmarks.Summary r : rows) {
      if (r.tooShort()) {
        lines.add(String.format(Locale.ROOT, "%s %s on %,d files: %.3f s of work is too short to"
            + " trust (under %.1f s, timer and scheduling noise are a large share of it); give"
            + " more files or more --samples", r.median().phase(), label(r), r.median().files(),
            r.median().workSeconds(), Benchmarks.SHORTEST_TRUSTED_SECONDS));
      }
    }
    return lines;
  }

  /**
   * The same as {@link #warnings}, in one line for a console, or null when every measurement is
   * long enough.
   */
  public static String warning(List<Benchmarks.Summary> rows) {
    List<String> runs = new ArrayList<>();
    for (Benchmarks.Summary r : rows) {
      if (r.tooShort()) {
        runs.add(String.format(Locale.ROOT, "%s on %,d files (%.3f s)", label(r),
            r.median().files(), r.median().workSeconds()));
      }
    }
    return runs.isEmpty() ? null : String.format(Locale.ROOT, "%s: under %.1f s of work, too short"
        + " to trust (timer and scheduling noise are a large share of it): %s; give more files or"
        + " more --samples", rows.get(0).median().phase(), Benchmarks.SHORTEST_TRUSTED_SECONDS,
        String.join(", ", runs));
  }

  /** The phase's story as Markdown paragraphs; empty for no rows. */
  public static String tell(List<Benchmarks.Summary> rows) {
    if (rows.isEmpty()) {
      return "";
    }
    TreeSet<Long> sizes = new TreeSet<>();
    rows.forEach(r -> sizes.add(r.median().files()));
    long files = sizes.last();
    List<Benchmarks.Summary> at = rows.stream().filter(r -> r.median().files() == files).toList();
    Benchmarks.Summary first = at.stream()
        .min(Comparator.comparingDouble(r -> r.median().wallSeconds())).orElseThrow();
    Benchmarks.Summary fastest = at.stream()
        .max(Comparator.comparingDouble(r -> r.median().filesPerSecond())).orElseThrow();
    StringBuilder md = new StringBuilder();
    md.append(winner(files, first, fastest)).append("\n\n");
    md.append("Start-up against work, each engine at its best worker count on ")
        .append(count(files)).append(" files:\n\n");
    for (Benchmarks.Summary r : bestPerEngine(at)) {
      md.append("- ").append(startupAgainstWork(r, first)).append(firstSession(r, at))
          .append('\n');
    }
    if (sizes.size() > 1) {
      md.append('\n').append(sweep(rows, sizes)).append('\n');
    }
    md.append('\n').append(cluster(at)).append('\n');
    return md.toString();
  }

  private static String winner(long files, Benchmarks.Summary first, Benchmarks.Summary fastest) {
    BenchmarkRow w = first.median();
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "**Winner on %s files: %s**,"
        + " %s from start to end (%s of start-up, %s of work, %s files/s).", count(files),
        label(first), seconds(w.wallSeconds()), seconds(w.startupSeconds()),
        seconds(w.workSeconds()), count(Math.round(w.filesPerSecond()))));
    if (fastest != first) {
      BenchmarkRow f = fastest.median();
      b.append(String.format(Locale.ROOT, " %s did the work faster (%s files/s, %s), but its"
          + " start-up of %s made its wall time %s: on this many files, start-up decided the"
          + " race.", capitalised(label(fastest)), count(Math.round(f.filesPerSecond())),
          seconds(f.workSeconds()), seconds(f.startupSeconds()), seconds(f.wallSeconds())));
    } else {
      b.append(" It also did the work fastest, so start-up did not decide this race.");
    }
    if (w.engine().equals(SEQUENTIAL)) {
      b.append(" No engine beat one thread: what the others paid to start and to coordinate"
          + " their workers was more than their workers saved.");
    } else if (!Double.isNaN(w.speedup())) {
      b.append(String.format(Locale.ROOT, " Why: its work ran %.2fx as fast as the sequential"
          + " engine's%s%s.", w.speedup(), w.workers() == 1 ? "" : String.format(Locale.ROOT,
              ", with %,d workers at %.0f%% efficiency", w.workers(), 100 * w.efficiency()),
          w.startupSeconds() < 0.01 ? ", and it had next to nothing to start" : ""));
    }
    return b.toString();
  }

  private static String startupAgainstWork(Benchmarks.Summary r, Benchmarks.Summary first) {
    BenchmarkRow m = r.median();
    double s = m.startupSeconds();
    double w = r.workPerFile();
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "**%s**: start-up %s, work"
        + " %.3f ms a file.", label(r), seconds(s), 1e3 * w));
    if (s < 1e-3) {
      b.append(" Under a millisecond to start: its start-up never mattered.");
    } else {
      b.append(String.format(Locale.ROOT, " Start-up was %.0f%% of its wall time here; it stops"
          + " mattering (under a tenth of the wall time) from about %s files.",
          100 * s / m.wallSeconds(), about(negligibleFrom(s, w))));
    }
    if (r != first) {
      b.append(' ').append(crossover(r, first));
    }
    return b.toString();
  }

  /**
   * A note where the engine's sessions took very different times to start: the first session of
   * an engine in a JVM loads its classes, which a later one finds loaded, and a user's fresh
   * {@code ./submit.sh} pays what the first paid.
   */
  private static String firstSession(Benchmarks.Summary r, List<Benchmarks.Summary> at) {
    List<Double> startups = at.stream().filter(x -> x.median().engine().equals(r.median().engine()))
        .map(x -> x.median().startupSeconds()).toList();
    double slowest = startups.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double quickest = startups.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    if (slowest - quickest < 0.5 || slowest < 3 * quickest) {
      return "";
    }
    return String.format(Locale.ROOT, " Its sessions took from %s to %s to start: the first in a"
        + " JVM loads the engine's classes, later ones find them loaded, and a fresh"
        + " `./submit.sh` pays what the first paid.", seconds(quickest), seconds(slowest));
  }

  /** The number of files from which {@code startup} is under a tenth of the wall time. */
  static long negligibleFrom(double startup, double workPerFile) {
    return (long) Math.ceil(startup * (1 - NEGLIGIBLE_SHARE) / NEGLIGIBLE_SHARE
        / Math.max(workPerFile, 1e-12));
  }

  /** Where {@code r}'s line of start-up plus work a file crosses the winner's. */
  private static String crossover(Benchmarks.Summary r, Benchmarks.Summary first) {
    double startupLead = r.median().startupSeconds() - first.median().startupSeconds();
    if (Math.abs(startupLead) < SAME_STARTUP_SECONDS) {
      startupLead = 0;
    }
    double workLead = first.workPerFile() - r.workPerFile();
    String winner = label(first);
    if (Math.abs(workLead) < SAME_WORK_SHARE * first.workPerFile()) {
      return String.format(Locale.ROOT, "Its work a file is within %.0f%% of %s's (%.3f ms), a tie"
          + " within this run's noise: start-up decides at every size%s.", 100 * SAME_WORK_SHARE,
          winner, 1e3 * first.workPerFile(), startupLead > 0 ? ", and " + winner + " starts sooner"
              : startupLead < 0 ? ", and this engine starts sooner" : "");
    }
    if (workLead > 0 && startupLead > 0) {
      return String.format(Locale.ROOT, "Its work a file is faster than %s's (%.3f ms), so it"
          + " overtakes %s from about %s files.", winner, 1e3 * first.workPerFile(), winner,
          about((long) Math.ceil(startupLead / workLead)));
    }
    if (workLead < 0 && startupLead < 0) {
      return String.format(Locale.ROOT, "It starts sooner than %s but works slower a file"
          + " (%.3f ms against %.3f): it finishes first only below about %s files.", winner,
          1e3 * r.workPerFile(), 1e3 * first.workPerFile(),
          about((long) Math.floor(-startupLead / -Math.min(workLead, -1e-12))));
    }
    if (workLead <= 0) {
      return String.format(Locale.ROOT, "Its work a file is no faster than %s's (%.3f ms), so"
          + " no number of files lets it catch up at this worker count.", winner,
          1e3 * first.workPerFile());
    }
    return String.format(Locale.ROOT, "It starts no later and works faster a file than %s:"
        + " they differ by less than the noise here.", winner);
  }

  /** For each engine, the worker count with the best work rate, in the order the engines ran. */
  private static List<Benchmarks.Summary> bestPerEngine(List<Benchmarks.Summary> at) {
    Map<String, Benchmarks.Summary> best = new LinkedHashMap<>();
    for (Benchmarks.Summary r : at) {
      best.merge(r.median().engine(), r, (a, b) ->
          b.median().filesPerSecond() > a.median().filesPerSecond() ? b : a);
    }
    return List.copyOf(best.values());
  }

  private static String sweep(List<Benchmarks.Summary> rows, TreeSet<Long> sizes) {
    StringBuilder b = new StringBuilder("First to finish at each size:");
    for (long size : sizes) {
      Benchmarks.Summary first = rows.stream().filter(r -> r.median().files() == size)
          .min(Comparator.comparingDouble(r -> r.median().wallSeconds())).orElseThrow();
      b.append(String.format(Locale.ROOT, " %s files, %s in %s;", count(size), label(first),
          seconds(first.median().wallSeconds())));
    }
    b.setLength(b.length() - 1);
    b.append('.');
    for (Benchmarks.Summary best : bestPerEngine(rows.stream()
        .filter(r -> r.median().files() == sizes.last()).toList())) {
      BenchmarkRow last = best.median();
      Benchmarks.Summary small = rows.stream().filter(r -> r.median().engine().equals(last.engine())
          && r.median().workers() == smallWorkers(last, sizes.first())
          && r.median().files() == sizes.first()).findFirst().orElse(null);
      if (small == null || last.startupSeconds() < 0.05) {
        continue;
      }
      b.append(String.format(Locale.ROOT, " %s's start-up was %.0f%% of its wall time at %s"
          + " files and %.0f%% at %s.", capitalised(label(best)),
          100 * small.median().startupSeconds() / small.median().wallSeconds(),
          count(sizes.first()), 100 * last.startupSeconds() / last.wallSeconds(),
          count(sizes.last())));
    }
    return b.toString();
  }

  /** The worker count of {@code row}'s engine at another size: thread-per-file's is its files. */
  private static int smallWorkers(BenchmarkRow row, long files) {
    return row.workers() == row.files() && row.files() > 1 ? Math.toIntExact(files) : row.workers();
  }

  private static String cluster(List<Benchmarks.Summary> at) {
    Benchmarks.Summary cluster = bestOf(at, CLUSTER);
    Benchmarks.Summary local = bestOf(at, SPARK);
    if (cluster != null && local != null) {
      BenchmarkRow c = cluster.median();
      BenchmarkRow l = local.median();
      double ratio = c.filesPerSecond() / l.filesPerSecond();
      String verdict = ratio > 1
          ? String.format(Locale.ROOT, "the cluster bought %.2fx the work rate", ratio)
          : String.format(Locale.ROOT, "the cluster bought no work rate (%.2fx): its executors"
              + " ran on cores the driver and its own work already had", ratio);
      return String.format(Locale.ROOT, "**What a cluster buys:** %s did the work at %s files/s"
          + " against %s files/s for %s, and took %s to start against %s: %s.", label(cluster),
          count(Math.round(c.filesPerSecond())), count(Math.round(l.filesPerSecond())),
          label(local), seconds(c.startupSeconds()), seconds(l.startupSeconds()), verdict);
    }
    if (local == null) {
      return "**What a cluster buys:** no Spark engine ran, so this run cannot say.";
    }
    BenchmarkRow l = local.median();
    Benchmarks.Summary one = at.stream().filter(r -> r.median().engine().equals(SPARK)
        && r.median().workers() == 1).findFirst().orElse(null);
    StringBuilder b = new StringBuilder("**What a cluster buys:** no cluster ran here.");
    if (one != null && one != local) {
      b.append(String.format(Locale.ROOT, " Spark's own scaling is the best guide: from 1 to %,d"
          + " cores its work went from %s to %s (%.0f%% efficiency).", l.workers(),
          seconds(one.median().workSeconds()), seconds(l.workSeconds()),
          100 * one.median().workSeconds() / l.workSeconds() / l.workers()));
    }
    b.append(String.format(Locale.ROOT, " More machines shorten only the work: Spark's start-up"
        + " of %s stays, and was %.0f%% of its wall time on %s files, so no cluster takes this"
        + " run below %s. At this run's rate of work, the start-up stops mattering from about %s"
        + " files; a cluster with k times the cores moves that to k times as many.",
        seconds(l.startupSeconds()), 100 * l.startupSeconds() / l.wallSeconds(), count(l.files()),
        seconds(l.startupSeconds()), about(negligibleFrom(l.startupSeconds(), local.workPerFile()))));
    return b.toString();
  }

  private static Benchmarks.Summary bestOf(List<Benchmarks.Summary> at, String engine) {
    return at.stream().filter(r -> r.median().engine().equals(engine))
        .max(Comparator.comparingDouble(r -> r.median().filesPerSecond())).orElse(null);
  }

  /** e.g. {@code threads (2 workers)}; thread-per-file's workers are its threads. */
  static String label(Benchmarks.Summary r) {
    int workers = r.median().workers();
    return r.median().engine() + " (" + String.format(Locale.ROOT, "%,d", workers)
        + (workers == 1 ? " worker)" : " workers)");
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, s < 0.1 ? "%.3f s" : "%.2f s", s);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Two significant figures beyond 100: a crossover is an estimate, not a count. */
  static String about(long n) {
    if (n < 100) {
      return Long.toString(n);
    }
    double scale = Math.pow(10, Math.floor(Math.log10(n)) - 1);
    return String.format(Locale.ROOT, "%,d", Math.round(Math.round(n / scale) * scale));
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
