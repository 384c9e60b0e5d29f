package io.npystats.report;

import static io.npystats.report.ReportTestRows.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path tmp;

  static List<BenchmarkRow> rows() {
    return Benchmarks.rows(Instant.parse("2026-11-25T21:00:00Z"), "2,000 files (1,600.3 MB) in data/bench",
        BenchmarksTest.MACHINE, List.of(
            new Benchmarks.Measured(run("sequential", 1, 0, 1.0, 2000), 1),
            new Benchmarks.Measured(run("threads", 1, 0, 1.0, 2000), 1),
            new Benchmarks.Measured(run("threads", 2, 0, 0.55, 2000), 1),
            new Benchmarks.Measured(run("thread-per-file", 2000, 0, 1.6, 2000), 1),
            new Benchmarks.Measured(run("processes", 1, 0.4, 1.3, 2000), 1),
            new Benchmarks.Measured(run("processes", 2, 0.6, 0.8, 2000), 1)));
  }

  static void assertPng(Path file, int width, int height) throws Exception {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(8);
    }
    assertThat(head).isEqualTo(PNG_SIGNATURE);
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
  }

  @Test
  void theChartIsAPngOfTheStatedSize() throws Exception {
    Path png = tmp.resolve("chart.png");
    Chart.writePng(Benchmarks.summaries(rows(), "stats"), "stats", "2,000 files", png, 640, 400);
    assertPng(png, 640, 400);
  }

  @Test
  void theChartDrawsWithOnlyReferenceLevels() throws Exception {
    Path png = tmp.resolve("levels.png");
    Chart.writePng(Benchmarks.summaries(rows(), "stats").subList(0, 1), "stats", null, png, 300, 200);
    assertPng(png, 300, 200);
  }

  static List<XYPlot> panels(JFreeChart chart) {
    return ((CombinedDomainXYPlot) chart.getPlot()).getSubplots();
  }

  static List<String> seriesNames(XYPlot panel) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < panel.getDataset().getSeriesCount(); i++) {
      names.add(panel.getDataset().getSeriesKey(i).toString());
    }
    return names;
  }

  static Color paintOf(XYPlot panel, String series) {
    int index = seriesNames(panel).indexOf(series);
    assertThat(index).as("series %s in %s", series, seriesNames(panel)).isNotNegative();
    return (Color) panel.getRenderer().getSeriesPaint(index);
  }

  @Test
  void overWorkersTheTopPanelIsTheWorkRateAndTheBottomTheWallTimeWithStartUp() {
    JFreeChart chart = Chart.draw(Benchmarks.summaries(rows(), "stats"), "stats: title", "2,000 files");
    assertThat(chart.getTitle().getText()).isEqualTo("stats: title");
    CombinedDomainXYPlot plot = (CombinedDomainXYPlot) chart.getPlot();
    assertThat(plot.getDomainAxis().getLabel()).isEqualTo("workers (threads, processes or cores)");
    List<XYPlot> panels = panels(chart);
    assertThat(panels).hasSize(2);
    XYPlot work = panels.get(0);
    XYPlot wall = panels.get(1);
    assertThat(work.getRangeAxis().getLabel()).isEqualTo("files per second of work (start-up left out)");
    assertThat(wall.getRangeAxis().getLabel()).isEqualTo("wall seconds (start-up included)");
    for (XYPlot panel : panels) {
      assertThat(seriesNames(panel)).containsExactly("threads", "processes");
      assertThat(paintOf(panel, "threads")).isEqualTo(Chart.colour("threads"));
      assertThat(paintOf(panel, "processes")).isEqualTo(Chart.colour("processes"));
    }
    // processes with 2 workers: 2,000 files in 0.8 s of work, 1.4 s with its 0.6 s start-up
    assertThat(work.getDataset().getYValue(1, 1)).isCloseTo(2500.0, within(1e-9));
    assertThat(wall.getDataset().getYValue(1, 1)).isCloseTo(1.4, within(1e-12));
    // One-row engines are labelled levels, in their engine's colour, in both panels.
    assertThat(work.getRangeMarkers(Layer.FOREGROUND)).extracting(m -> m.getLabel())
        .containsExactly("sequential (1 worker): 2,000 files/s",
            "thread-per-file (2,000 workers): 1,250 files/s");
    assertThat(wall.getRangeMarkers(Layer.FOREGROUND)).extracting(m -> m.getLabel())
        .containsExactly("sequential (1 worker): 1.00 s", "thread-per-file (2,000 workers): 1.60 s");
    assertThat(work.getRangeMarkers(Layer.FOREGROUND)).extracting(m -> m.getPaint())
        .containsExactly(Chart.colour("sequential"), Chart.colour("thread-per-file"));
    assertThat(chart.getLegend().getSources()).hasSize(1);
    assertThat(plot.getLegendItems().getItemCount()).isEqualTo(2); // one entry a line, not two
  }

  @Test
  void anEngineKeepsItsColourWhateverRanBeforeIt() {
    List<Benchmarks.Summary> all = Benchmarks.summaries(rows(), "stats");
    List<Benchmarks.Summary> processesOnly = all.stream()
        .filter(r -> r.median().engine().equals("processes")).toList();
    XYPlot alone = panels(Chart.draw(processesOnly, "t", null)).get(0);
    assertThat(seriesNames(alone)).containsExactly("processes");
    assertThat(paintOf(alone, "processes")).isEqualTo(Chart.colour("processes"));
    assertThat(List.of("sequential", "threads", "thread-per-file", "processes", "spark",
        "spark-cluster").stream().map(Chart::colour).distinct()).hasSize(6);
  }

  @Test
  void theBarsSpanTheFastestAndTheSlowestRepeat() {
    List<BenchmarkRow> rows = Benchmarks.rows(Instant.parse("2026-11-25T21:00:00Z"), "bars",
        BenchmarksTest.MACHINE, List.of(new Benchmarks.Measured(run("threads", 1, 0.01, 2.0, 1000), 1),
            new Benchmarks.Measured(run("threads", 2, 0.01, 1.5, 1000), 1),
            new Benchmarks.Measured(run("threads", 2, 0.01, 2.0, 1000), 2),
            new Benchmarks.Measured(run("threads", 2, 0.01, 1.0, 1000), 3)));
    List<XYPlot> panels = panels(Chart.draw(Benchmarks.summaries(rows, "stats"), "t", null));
    YIntervalSeriesCollection work = (YIntervalSeriesCollection) panels.get(0).getDataset();
    YIntervalSeriesCollection wall = (YIntervalSeriesCollection) panels.get(1).getDataset();
    // threads with 2 workers: 1,000 files in 1.0, 1.5 and 2.0 s of work, 0.01 s to start
    assertThat(seriesNames(panels.get(0))).containsExactly("threads");
    assertThat(work.getXValue(0, 1)).isEqualTo(2.0);
    assertThat(work.getYValue(0, 1)).isCloseTo(1000.0 / 1.5, within(1e-9));
    assertThat(work.getStartYValue(0, 1)).isCloseTo(500.0, within(1e-9));
    assertThat(work.getEndYValue(0, 1)).isCloseTo(1000.0, within(1e-9));
    assertThat(wall.getYValue(0, 1)).isCloseTo(1.51, within(1e-12));
    assertThat(wall.getStartYValue(0, 1)).isCloseTo(1.01, within(1e-12));
    assertThat(wall.getEndYValue(0, 1)).isCloseTo(2.01, within(1e-12));
  }

  static List<BenchmarkRow> sweep() {
    return Benchmarks.rows(Instant.parse("2026-11-25T21:00:00Z"), "sweep", BenchmarksTest.MACHINE,
        List.of(new Benchmarks.Measured(run("sequential", 1, 0, 0.02, 100), 1),
            new Benchmarks.Measured(run("sequential", 1, 0, 0.2, 1000), 1),
            new Benchmarks.Measured(run("threads", 1, 0.001, 0.02, 100), 1),
            new Benchmarks.Measured(run("threads", 1, 0.001, 0.2, 1000), 1),
            new Benchmarks.Measured(run("threads", 2, 0.001, 0.011, 100), 1),
            new Benchmarks.Measured(run("threads", 2, 0.001, 0.11, 1000), 1),
            new Benchmarks.Measured(run("spark", 2, 3.0, 0.05, 100), 1),
            new Benchmarks.Measured(run("spark", 2, 3.0, 0.1, 1000), 1)));
  }

  @Test
  void aSweepPlotsWallTimeAgainstFilesOneLinePerEngineAndWorkerCount() {
    JFreeChart chart = Chart.draw(Benchmarks.summaries(sweep(), "stats"), "t", null);
    CombinedDomainXYPlot plot = (CombinedDomainXYPlot) chart.getPlot();
    assertThat(plot.getDomainAxis()).isInstanceOf(LogAxis.class);
    assertThat(plot.getDomainAxis().getLabel()).isEqualTo("files");
    XYPlot wall = panels(chart).get(0);
    XYPlot work = panels(chart).get(1);
    assertThat(wall.getRangeAxis().getLabel()).isEqualTo("wall seconds (start-up included)");
    assertThat(wall.getRangeAxis()).isInstanceOf(LogAxis.class);
    assertThat(work.getRangeAxis().getLabel()).isEqualTo("files per second of work (start-up left out)");
    assertThat(seriesNames(wall)).containsExactly("sequential", "threads 1", "threads 2", "spark");
    assertThat(paintOf(wall, "threads 1")).isEqualTo(Chart.colour("threads"));
    assertThat(paintOf(wall, "threads 2")).isEqualTo(Chart.colour("threads"));
    assertThat(paintOf(work, "spark")).isEqualTo(Chart.colour("spark"));
    // fewer workers of the same engine are dashed
    assertThat(((BasicStroke) wall.getRenderer().getSeriesStroke(1)).getDashArray()).isNotNull();
    assertThat(((BasicStroke) wall.getRenderer().getSeriesStroke(2)).getDashArray()).isNull();
    // spark's wall time: its 3 s start-up at both sizes
    assertThat(wall.getDataset().getXValue(3, 0)).isEqualTo(100.0);
    assertThat(wall.getDataset().getYValue(3, 0)).isCloseTo(3.05, within(1e-12));
    assertThat(wall.getDataset().getXValue(3, 1)).isEqualTo(1000.0);
    assertThat(wall.getDataset().getYValue(3, 1)).isCloseTo(3.1, within(1e-12));
  }

  /** 1,000 or 100,000 files: threads start at once, Spark takes 3 s and then works twice as fast. */
  static List<BenchmarkRow> race(int files, double threadsWork) {
    double scale = files / 1000.0;
    return Benchmarks.rows(Instant.parse("2026-11-25T21:00:00Z"), "race", BenchmarksTest.MACHINE,
        List.of(new Benchmarks.Measured(run("sequential", 1, 0, 0.2 * scale, files), 1),
            new Benchmarks.Measured(run("threads", 2, 0.001, threadsWork * scale, files), 1),
            new Benchmarks.Measured(run("spark", 1, 2.5, 0.2 * scale, files), 1),
            new Benchmarks.Measured(run("spark", 2, 3.0, 0.05 * scale, files), 1)));
  }

  String report(List<BenchmarkRow> rows, String name) throws Exception {
    Report.Written written = Report.write(tmp.resolve(name), new Report.Content("race",
        BenchmarksTest.MACHINE, "race", 3, "Every engine agreed.", Map.of(), rows));
    return Files.readString(written.page());
  }

  @Test
  void theWinnerFollowsTheNumbers() throws Exception {
    String few = report(race(1000, 0.11), "few");
    assertThat(few)
        .contains("**Winner on 1,000 files: threads (2 workers)**, 0.11 s from start to end"
            + " (0.001 s of start-up, 0.11 s of work, 9,091 files/s). Spark (2 workers) did the"
            + " work faster (20,000 files/s, 0.050 s), but its start-up of 3.00 s made its wall"
            + " time 3.05 s: on this many files, start-up decided the race. Why: its work ran"
            + " 1.82x as fast as the sequential engine's, with 2 workers at 91% efficiency, and it"
            + " had next to nothing to start.")
        .contains("- **spark (2 workers)**: start-up 3.00 s, work 0.050 ms a file. Start-up was 98%"
            + " of its wall time here; it stops mattering (under a tenth of the wall time) from"
            + " about 540,000 files. Its work a file is faster than threads (2 workers)'s (0.110"
            + " ms), so it overtakes threads (2 workers) from about 50,000 files.")
        .contains("- **sequential (1 worker)**: start-up 0.000 s, work 0.200 ms a file. Under a"
            + " millisecond to start: its start-up never mattered. Its work a file is no faster"
            + " than threads (2 workers)'s (0.110 ms), so no number of files lets it catch up at"
            + " this worker count.")
        .contains("**What a cluster buys:** no cluster ran here. Spark's own scaling is the best"
            + " guide: from 1 to 2 cores its work went from 0.20 s to 0.050 s (200% efficiency).");

    String many = report(race(100_000, 0.11), "many");
    assertThat(many)
        .contains("**Winner on 100,000 files: spark (2 workers)**, 8.00 s from start to end"
            + " (3.00 s of start-up, 5.00 s of work, 20,000 files/s). It also did the work"
            + " fastest, so start-up did not decide this race. Why: its work ran 4.00x as fast as"
            + " the sequential engine's, with 2 workers at 200% efficiency.")
        .contains("- **threads (2 workers)**: start-up 0.001 s, work 0.110 ms a file. Start-up was"
            + " 0% of its wall time here; it stops mattering (under a tenth of the wall time) from"
            + " about 82 files. It starts sooner than spark (2 workers) but works slower a file"
            + " (0.110 ms against 0.050): it finishes first only below about 50,000 files.")
        .doesNotContain("Too short to trust");
  }

  @Test
  void aFirstSessionMuchSlowerToStartThanTheNextIsPointedOut() throws Exception {
    List<BenchmarkRow> rows = Benchmarks.rows(Instant.parse("2026-11-25T21:00:00Z"), "s",
        BenchmarksTest.MACHINE, List.of(new Benchmarks.Measured(run("sequential", 1, 0, 0.4, 2000), 1),
            new Benchmarks.Measured(run("spark", 1, 4.73, 0.23, 2000), 1),
            new Benchmarks.Measured(run("spark", 2, 0.35, 0.4, 2000), 1)));
    assertThat(report(rows, "sessions")).contains("- **spark (1 worker)**: start-up 4.73 s, work"
        + " 0.115 ms a file. Start-up was 95% of its wall time here; it stops mattering (under a"
        + " tenth of the wall time) from about 370,000 files. Its work a file is faster than"
        + " sequential (1 worker)'s (0.200 ms), so it overtakes sequential (1 worker) from about"
        + " 56,000 files. Its sessions took from 0.35 s to 4.73 s to start: the first in a JVM"
        + " loads the engine's classes, later ones find them loaded, and a fresh `./submit.sh`"
        + " pays what the first paid.");
    assertThat(report(race(1000, 0.11), "similar")).doesNotContain("Its sessions took");
    assertThat(report(race(1000, 0.051), "tie")).contains("- **spark (2 workers)**: start-up 3.00 s,"
        + " work 0.050 ms a file. Start-up was 98% of its wall time here; it stops mattering (under"
        + " a tenth of the wall time) from about 540,000 files. Its work a file is within 5% of"
        + " threads (2 workers)'s (0.051 ms), a tie within this run's noise: start-up decides at"
        + " every size, and threads (2 workers) starts sooner.");
  }

  @Test
  void aMeasurementTooShortToTrustIsWarnedAbout() throws Exception {
    List<BenchmarkRow> rows = race(1000, 0.04);
    String page = report(rows, "short");
    String warning = "stats threads (2 workers) on 1,000 files: 0.040 s of work is too short to"
        + " trust (under 0.1 s, timer and scheduling noise are a large share of it); give more"
        + " files or more --samples";
    assertThat(Story.warnings(Benchmarks.summaries(rows, "stats")))
        .containsExactly(warning, warning.replace("threads (2 workers)", "spark (2 workers)")
            .replace("0.040 s", "0.050 s"));
    assertThat(page).contains("**Too short to trust:**\n\n- " + warning + "\n");
    assertThat(Story.warning(Benchmarks.summaries(rows, "stats"))).isEqualTo("stats: under 0.1 s"
        + " of work, too short to trust (timer and scheduling noise are a large share of it):"
        + " threads (2 workers) on 1,000 files (0.040 s), spark (2 workers) on 1,000 files"
        + " (0.050 s); give more files or more --samples");
    assertThat(Story.warning(Benchmarks.summaries(race(100_000, 0.11), "stats"))).isNull();
    assertThat(report(race(1000, 0.11), "long")).doesNotContain(warning);
  }

  @Test
  void theReportPutsStoryChartTableAndSentencesTogether() throws Exception {
    Map<String, String> about = Map.of("sequential", "One thread.", "threads", "A pool.",
        "thread-per-file", "A thread a file.", "processes", "Child JVMs.");
    Report.Written written = Report.write(tmp.resolve("report"), new Report.Content("r2",
        BenchmarksTest.MACHINE, "2,000 files (1,600.3 MB) in data/bench", 1,
        "Every engine agreed.", about, rows()));
    assertThat(written.charts()).containsExactly(tmp.resolve("report").resolve("compare-stats.png"));
    assertPng(written.charts().get(0), Chart.WIDTH, Chart.HEIGHT);
    String page = Files.readString(written.page());
    assertThat(written.page().getFileName().toString()).isEqualTo("report.md");
    assertThat(page)
        .startsWith("# npystats compare r2\n\n2026-11-25 21:00 UTC, 2,000 files (1,600.3 MB) in"
            + " data/bench. Machine: 2 cores, 8.0 GiB memory, Java 17.0.15, Linux amd64.\n\n"
            + "Every engine agreed.\n")
        .contains("## stats\n\n**Winner on 2,000 files: threads (2 workers)**")
        .contains("![stats: work rate and wall time against workers](compare-stats.png)")
        .contains("| threads | 2 | 2,000 | 0.55 | 0.00 | 0.55 | - | 3,636 | 1,455 | 1.82x | 91% | 1.10 |")
        .contains("- processes with 2 workers: processes detail")
        .contains("- sequential with 1 worker: sequential detail")
        .contains("- **thread-per-file**: A thread a file.\n")
        .contains("then once more, shown.");
    assertThat(Arrays.stream(page.split("\n")).filter(l -> l.startsWith("- **") && l.endsWith("."))
        .filter(l -> !l.contains("start-up"))).hasSize(4);
  }
}
