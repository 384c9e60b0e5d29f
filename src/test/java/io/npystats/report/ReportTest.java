package io.npystats.report;

import static io.npystats.report.ReportTestRows.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path tmp;

  static List<BenchmarkRow> rows() {
    return Benchmarks.rows("r2", Instant.parse("2026-11-25T21:00:00Z"), "2,000 files (1,600.3 MB) in data/bench",
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
    Chart.writePng(Benchmarks.shown(rows(), "stats"), "stats", "2,000 files", png, 640, 400);
    assertPng(png, 640, 400);
  }

  @Test
  void theChartDrawsWithOnlyReferenceLevels() throws Exception {
    Path png = tmp.resolve("levels.png");
    Chart.writePng(Benchmarks.shown(rows(), "stats").subList(0, 1), "stats", null, png, 300, 200);
    assertPng(png, 300, 200);
  }

  @Test
  void theReportPutsChartTableAndSentencesTogether() throws Exception {
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
        .contains("![stats: files per second against workers](compare-stats.png)")
        .contains("| threads | 2 | 2,000 | 0.55 | 0.00 | 0.55 | 3,636 | 1,455 | 1.82x | 91% | 1.10 |")
        .contains("- processes with 2 workers: processes detail")
        .contains("- sequential with 1 worker: sequential detail")
        .contains("- **thread-per-file**: A thread a file.\n")
        .contains("then once more, shown.");
    assertThat(Arrays.stream(page.split("\n")).filter(l -> l.startsWith("- **"))).hasSize(4);
  }
}
