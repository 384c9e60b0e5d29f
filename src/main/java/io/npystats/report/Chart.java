package io.npystats.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Two panels over one x axis, drawn with JFreeChart into a PNG: files per second of work, where
 * start-up is left out, and wall seconds, start-up included, which is what a one-off run waits
 * for. Each point is the median run; its bar spans the fastest and the slowest repeat.
 *
 * <p>On one number of files the x axis is the workers, one line per engine; an engine with a
 * single row (sequential; thread-per-file, whose workers are its files; a cluster) is a dashed
 * level labelled with its worker count: it is a level to beat, not a curve. On a sweep of sizes
 * the x axis is the number of files, on a log scale, one line per engine and worker count: that
 * is where a fixed start-up shows, as a flat wall time on the left that only the work overtakes.
 */
public final class Chart {
  public static final int WIDTH = 960;
  public static final int HEIGHT = 900;
  public static final String FILES_PER_SECOND = "files per second of work (start-up left out)";
  public static final String WALL_SECONDS = "wall seconds (start-up included)";
  public static final String WORKERS = "workers (threads, processes or cores)";
  public static final String FILES = "files";

  /** Every engine keeps its colour in every chart, whichever engines ran and in what order. */
  private static final Map<String, Color> COLOURS = Map.of(
      "sequential", new Color(0x555555),
      "threads", new Color(0x1f77b4),
      "thread-per-file", new Color(0x9467bd),
      "processes", new Color(0xff7f0e),
      "spark", new Color(0xd62728),
      "spark-cluster", new Color(0x2ca02c));
  private static final Color OTHER = new Color(0x8c564b);
  private static final float[] DASH = {6f, 4f};

  private Chart() {}

  /** The colour of {@code engine} in every chart. */
  public static Color colour(String engine) {
    return COLOURS.getOrDefault(engine, OTHER);
  }

  /**
   * Writes the chart of {@code rows} (one phase's summaries) to {@code file}.
   *
   * @param subtitle a line under the title, e.g. what the files were
   */
  public static void writePng(List<Benchmarks.Summary> rows, String title, String subtitle,
      Path file, int width, int height) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), draw(rows, title, subtitle), width, height);
  }

  /** The chart of {@code rows}, one phase's summaries: the top panel work, the bottom wall. */
  public static JFreeChart draw(List<Benchmarks.Summary> rows, String title, String subtitle) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // drawing needs no display
    }
    TreeSet<Long> sizes = new TreeSet<>();
    rows.forEach(r -> sizes.add(r.median().files()));
    boolean sweep = sizes.size() > 1;
    CombinedDomainXYPlot plot;
    if (sweep) {
      LogAxis x = decades(FILES, sizes.first() / 1.5, sizes.last() * 1.5);
      plot = new CombinedDomainXYPlot(x);
      plot.add(sweepPanel(rows, WALL_SECONDS, true), 1);
      plot.add(sweepPanel(rows, FILES_PER_SECOND, false), 1);
    } else {
      NumberAxis x = new NumberAxis(WORKERS);
      x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      plot = new CombinedDomainXYPlot(x);
      plot.add(workersPanel(rows, FILES_PER_SECOND, false), 1);
      plot.add(workersPanel(rows, WALL_SECONDS, true), 1);
      int maxWorkers = 1;
      for (Benchmarks.Summary r : rows) {
        if (lines(rows).get(r.median().engine()).size() > 1) {
          maxWorkers = Math.max(maxWorkers, r.median().workers());
        }
      }
      x.setRange(0.5, maxWorkers + 0.5);
    }
    plot.setGap(12);
    // The two panels show the same lines: one legend entry each is enough.
    plot.getSubplots().get(1).getRenderer().setDefaultSeriesVisibleInLegend(false);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    }
    return chart;
  }

  /** Rows by engine, in the order the engines ran. */
  private static Map<String, List<Benchmarks.Summary>> lines(List<Benchmarks.Summary> rows) {
    Map<String, List<Benchmarks.Summary>> byEngine = new LinkedHashMap<>();
    for (Benchmarks.Summary r : rows) {
      byEngine.computeIfAbsent(r.median().engine(), k -> new ArrayList<>()).add(r);
    }
    return byEngine;
  }

  private static XYPlot workersPanel(List<Benchmarks.Summary> rows, String label, boolean wall) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    List<String> engines = new ArrayList<>();
    List<ValueMarker> levels = new ArrayList<>();
    double max = 0;
    for (Map.Entry<String, List<Benchmarks.Summary>> e : lines(rows).entrySet()) {
      Color c = colour(e.getKey());
      if (e.getValue().size() == 1) {
        Benchmarks.Summary r = e.getValue().get(0);
        double value = wall ? r.median().wallSeconds() : r.median().filesPerSecond();
        levels.add(level(value, c, String.format(Locale.ROOT, "%s (%,d %s): %s", e.getKey(),
            r.median().workers(), r.median().workers() == 1 ? "worker" : "workers",
            wall ? String.format(Locale.ROOT, "%.2f s", value)
                : String.format(Locale.ROOT, "%,.0f files/s", value))));
        max = Math.max(max, wall ? r.maxWallSeconds() : r.maxFilesPerSecond());
        continue;
      }
      YIntervalSeries series = new YIntervalSeries(e.getKey());
      for (Benchmarks.Summary r : e.getValue()) {
        add(series, r.median().workers(), r, wall);
        max = Math.max(max, wall ? r.maxWallSeconds() : r.maxFilesPerSecond());
      }
      data.addSeries(series);
      engines.add(e.getKey());
    }
    NumberAxis y = new NumberAxis(label);
    y.setRange(0, Math.max(wall ? 0.01 : 1, max) * 1.15);
    XYPlot panel = panel(data, y, engines, List.of());
    levels.forEach(panel::addRangeMarker);
    return panel;
  }

  /**
   * One line per engine, or per engine and worker count where the engine ran with several; for
   * one engine, fewer workers are drawn dashed.
   */
  private static XYPlot sweepPanel(List<Benchmarks.Summary> rows, String label, boolean wall) {
    Map<String, List<Benchmarks.Summary>> byLine = new LinkedHashMap<>();
    Map<String, String> engineOf = new LinkedHashMap<>();
    Map<String, Boolean> fewer = new LinkedHashMap<>();
    for (Map.Entry<String, List<Benchmarks.Summary>> e : lines(rows).entrySet()) {
      TreeSet<Integer> workers = new TreeSet<>();
      Set<Long> sizes = new LinkedHashSet<>();
      e.getValue().forEach(r -> workers.add(r.median().workers()));
      e.getValue().forEach(r -> sizes.add(r.median().files()));
      boolean onePerSize = sizes.size() == e.getValue().size();
      int most = workers.last();
      for (Benchmarks.Summary r : e.getValue()) {
        String key = onePerSize ? e.getKey() : e.getKey() + " " + r.median().workers();
        byLine.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        engineOf.put(key, e.getKey());
        fewer.put(key, !onePerSize && r.median().workers() < most);
      }
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    List<String> engines = new ArrayList<>();
    List<Boolean> dashed = new ArrayList<>();
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Map.Entry<String, List<Benchmarks.Summary>> e : byLine.entrySet()) {
      YIntervalSeries series = new YIntervalSeries(e.getKey());
      for (Benchmarks.Summary r : e.getValue()) {
        add(series, r.median().files(), r, wall);
        min = Math.min(min, wall ? r.minWallSeconds() : r.minFilesPerSecond());
        max = Math.max(max, wall ? r.maxWallSeconds() : r.maxFilesPerSecond());
      }
      data.addSeries(series);
      engines.add(engineOf.get(e.getKey()));
      dashed.add(fewer.get(e.getKey()));
    }
    ValueAxis y;
    if (wall) {
      y = decades(label, Math.max(1e-3, min / 1.5), Math.max(2e-3, max * 1.5));
    } else {
      NumberAxis linear = new NumberAxis(label);
      linear.setRange(0, Math.max(1, max) * 1.15);
      y = linear;
    }
    return panel(data, y, engines, dashed);
  }

  /**
   * A log axis ticked at powers of ten, with plain numbers for labels; where no power of ten lies
   * between {@code low} and {@code high}, it starts at the one below {@code low}, so that every
   * axis has a labelled tick.
   */
  private static LogAxis decades(String label, double low, double high) {
    LogAxis axis = new LogAxis(label);
    axis.setSmallestValue(1e-3);
    axis.setTickUnit(new NumberTickUnit(1.0));
    axis.setMinorTickCount(9);
    axis.setMinorTickMarksVisible(true);
    axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
    boolean decadeWithin = Math.pow(10, Math.ceil(Math.log10(low))) <= high;
    axis.setRange(decadeWithin ? low : Math.pow(10, Math.floor(Math.log10(low))), high);
    return axis;
  }

  private static void add(YIntervalSeries series, double x, Benchmarks.Summary r, boolean wall) {
    if (wall) {
      series.add(x, r.median().wallSeconds(), r.minWallSeconds(), r.maxWallSeconds());
    } else {
      series.add(x, r.median().filesPerSecond(), r.minFilesPerSecond(), r.maxFilesPerSecond());
    }
  }

  private static XYPlot panel(YIntervalSeriesCollection data, ValueAxis y, List<String> engines,
      List<Boolean> dashed) {
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDefaultLinesVisible(true);
    renderer.setDrawXError(false);
    renderer.setCapLength(6);
    for (int i = 0; i < engines.size(); i++) {
      Color c = colour(engines.get(i));
      renderer.setSeriesPaint(i, c);
      boolean dash = i < dashed.size() && dashed.get(i);
      renderer.setSeriesStroke(i, dash ? dashed(2f) : new BasicStroke(2.5f));
    }
    renderer.setErrorPaint(null); // each bar in its line's colour
    XYPlot panel = new XYPlot(data, null, y, renderer);
    panel.setBackgroundPaint(Color.WHITE);
    panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
    panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return panel;
  }

  private static ValueMarker level(double value, Color c, String label) {
    ValueMarker level = new ValueMarker(value, c, dashed(1.5f));
    level.setLabel(label);
    level.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    level.setLabelPaint(c);
    level.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    level.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    level.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    return level;
  }

  private static BasicStroke dashed(float width) {
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f);
  }
}
