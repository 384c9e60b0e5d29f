package io.npystats.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Files per second against workers, one line per engine, drawn with JFreeChart into a PNG. An
 * engine with a single row (sequential; thread-per-file, whose workers are its files; a cluster)
 * is a dashed horizontal line labelled with its worker count: it is a level to beat, not a curve.
 */
public final class Chart {
  public static final int WIDTH = 960;
  public static final int HEIGHT = 600;

  private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728),
      new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

  private Chart() {}

  /**
   * Writes the chart of {@code rows} (one phase's shown rows) to {@code file}.
   *
   * @param subtitle a line under the title, e.g. what the files were
   */
  public static void writePng(List<BenchmarkRow> rows, String title, String subtitle, Path file,
      int width, int height) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // drawing needs no display
    }
    Map<String, List<BenchmarkRow>> byEngine = new LinkedHashMap<>();
    for (BenchmarkRow row : rows) {
      byEngine.computeIfAbsent(row.engine(), k -> new ArrayList<>()).add(row);
    }
    XYSeriesCollection lines = new XYSeriesCollection();
    List<ValueMarker> levels = new ArrayList<>();
    int maxWorkers = 1;
    double maxRate = 0;
    int colour = 0;
    List<Color> lineColours = new ArrayList<>();
    for (Map.Entry<String, List<BenchmarkRow>> e : byEngine.entrySet()) {
      Color c = COLOURS[colour++ % COLOURS.length];
      List<BenchmarkRow> engineRows = e.getValue();
      if (engineRows.size() == 1) {
        BenchmarkRow r = engineRows.get(0);
        ValueMarker level = new ValueMarker(r.filesPerSecond(), c, new BasicStroke(1.5f,
            BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        level.setLabel(String.format(Locale.ROOT, "%s (%,d %s): %,.0f files/s", r.engine(),
            r.workers(), r.workers() == 1 ? "worker" : "workers", r.filesPerSecond()));
        level.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        level.setLabelPaint(c);
        level.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        level.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        level.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        levels.add(level);
        maxRate = Math.max(maxRate, r.filesPerSecond());
      } else {
        XYSeries series = new XYSeries(e.getKey());
        for (BenchmarkRow r : engineRows) {
          series.add(r.workers(), r.filesPerSecond());
          maxWorkers = Math.max(maxWorkers, r.workers());
          maxRate = Math.max(maxRate, r.filesPerSecond());
        }
        lines.addSeries(series);
        lineColours.add(c);
      }
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "workers (threads, processes or cores)",
        "files per second of work", lines, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    }
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < lineColours.size(); i++) {
      renderer.setSeriesPaint(i, lineColours.get(i));
      renderer.setSeriesStroke(i, new BasicStroke(2.5f));
    }
    plot.setRenderer(renderer);
    levels.forEach(plot::addRangeMarker);
    NumberAxis x = (NumberAxis) plot.getDomainAxis();
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setRange(0.5, maxWorkers + 0.5);
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setRange(0, Math.max(1, maxRate) * 1.15);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
  }
}
