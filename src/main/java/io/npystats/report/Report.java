package io.npystats.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report of a {@code compare}: a chart per phase and a Markdown page that puts together, per
 * phase, what the numbers say ({@link Story}), the chart and the table, then one plain sentence
 * per engine.
 */
public final class Report {
  public static final String PAGE = "report.md";

  /**
   * What the page says besides the rows.
   *
   * @param input what was read or written, e.g. {@code 2,000 files in data/bench}
   * @param agreement one sentence on the check that every engine gave the same answers
   * @param about one sentence per engine name: what it shares, what it pays for
   */
  public record Content(String runId, Machine machine, String input, int repeats, String agreement,
      Map<String, String> about, List<BenchmarkRow> rows) {}

  /** A written report: the page and its charts. */
  public record Written(Path page, List<Path> charts) {}

  private Report() {}

  public static String chartName(String phase) {
    return "compare-" + phase + ".png";
  }

  /** What the chart of {@code phase} plots against what: workers, or files on a sweep. */
  static String chartTitle(String phase, List<Benchmarks.Summary> shown) {
    boolean sweep = shown.stream().map(s -> s.median().files()).distinct().count() > 1;
    return phase + ": work rate and wall time against " + (sweep ? "files" : "workers");
  }

  public static Written write(Path dir, Content content) throws IOException {
    Files.createDirectories(dir);
    Set<String> phases = new LinkedHashSet<>();
    content.rows().forEach(r -> phases.add(r.phase()));
    List<Path> charts = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    md.append("# npystats compare ").append(content.runId()).append("\n\n");
    String when = content.rows().isEmpty() ? "" : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
        .format(content.rows().get(0).startedAt().toInstant().atZone(ZoneOffset.UTC)) + ", ";
    md.append(when).append(content.input()).append(". Machine: ").append(content.machine().describe())
        .append(".\n\n").append(content.agreement()).append("\n");
    for (String phase : phases) {
      List<Benchmarks.Summary> shown = Benchmarks.summaries(content.rows(), phase);
      Path chart = dir.resolve(chartName(phase));
      String title = chartTitle(phase, shown);
      Chart.writePng(shown, title, content.input(), chart, Chart.WIDTH, Chart.HEIGHT);
      charts.add(chart);
      md.append("\n## ").append(phase).append("\n\n")
          .append(Story.tell(shown)).append('\n');
      List<String> warnings = Story.warnings(shown);
      if (!warnings.isEmpty()) {
        md.append("**Too short to trust:**\n\n");
        warnings.forEach(w -> md.append("- ").append(w).append('\n'));
        md.append('\n');
      }
      md.append("![").append(title).append("](").append(chart.getFileName()).append(")\n\n")
          .append(TextTables.markdown(shown)).append('\n');
      // On a sweep, how each engine ran on the most files; the smaller sizes ran the same way.
      long most = shown.stream().mapToLong(x -> x.median().files()).max().orElse(0);
      for (Benchmarks.Summary s : shown) {
        BenchmarkRow r = s.median();
        if (r.files() == most && r.detail() != null && !r.detail().isEmpty()) {
          md.append("- ").append(r.engine()).append(" with ").append(r.workers())
              .append(r.workers() == 1 ? " worker: " : " workers: ").append(r.detail())
              .append('\n');
        }
      }
    }
    md.append("\n").append(howToRead(content.repeats())).append("\n\n## The engines\n\n");
    Set<String> engines = new LinkedHashSet<>();
    content.rows().forEach(r -> engines.add(r.engine()));
    for (String engine : engines) {
      md.append("- **").append(engine).append("**: ")
          .append(content.about().getOrDefault(engine, "")).append('\n');
    }
    Path page = dir.resolve(PAGE);
    Files.writeString(page, md.toString(), StandardCharsets.UTF_8);
    return new Written(page, charts);
  }

  static String howToRead(int repeats) {
    return String.format(Locale.ROOT, "Files/s and MB/s are over the work time; start-up (a pool's"
        + " threads, child JVMs, a Spark session) is kept apart, and wall = start-up + work, what a"
        + " one-off run waits for: the chart's top panel leaves start-up out, its bottom panel"
        + " counts it. Speedup is the sequential engine's work time over this one's;"
        + " efficiency is speedup over workers. CPU is the CPU time of every process of the run."
        + " Each engine and worker count ran once to warm the page cache and the JIT, not shown,"
        + " then %s.", repeats == 1 ? "once more, shown" : repeats + " times: the run with the"
            + " median work time is shown, work min-max and the chart's bars span them all");
  }
}
