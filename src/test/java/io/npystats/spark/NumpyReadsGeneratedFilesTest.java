package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** numpy itself loads what generate writes and agrees with stats. Skipped where numpy is absent. */
class NumpyReadsGeneratedFilesTest {
  @TempDir Path tmp;

  private static String python(String... args) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(args).redirectErrorStream(true).start();
    } catch (IOException e) {
      return null; // no python3 on this machine
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void numpyLoadsEveryGeneratedFileWithTheSameStatistics() throws Exception {
    String version = python("python3", "-c", "import numpy; print(numpy.__version__)");
    assumeTrue(version != null, "python3 with numpy is not installed; skipping the numpy check");

    Path dir = tmp.resolve("files");
    GenerateJob.run(SharedSpark.spark(), dir.toString(), 6, 10_001, 99, 2);
    String warehouse = tmp.resolve("warehouse").toString();
    StatsJob.run(SharedSpark.spark(), dir.toString(), warehouse, "numpy", 2, 0);

    String script = String.join("\n",
        "import sys, numpy as np",
        "for i in range(6):",
        "    a = np.load(sys.argv[1] + '/file_%d.npy' % i, allow_pickle=False)",
        "    assert a.dtype == np.float64 and a.shape == (10001,), (a.dtype, a.shape)",
        "    print(i, repr(float(a.mean())), repr(float(a.std())), repr(float(a.min())), repr(float(a.max())))");
    String out = python("python3", "-c", script, dir.toString());
    assertThat(out).as("numpy failed to load the files").isNotNull();

    List<Row> rows = SharedSpark.spark().read().parquet(Tables.path(warehouse, Tables.FILE_STATS))
        .where("run_id = 'numpy'").collectAsList();
    assertThat(rows).hasSize(6);
    for (String line : out.strip().split("\n")) {
      String[] f = line.split(" ");
      Row row = rows.stream().filter(r -> r.<String>getAs("path").endsWith("/file_" + f[0] + ".npy"))
          .findFirst().orElseThrow();
      assertThat(row.<Double>getAs("mean")).isCloseTo(Double.parseDouble(f[1]),
          org.assertj.core.api.Assertions.within(1e-12));
      assertThat(row.<Double>getAs("std")).isCloseTo(Double.parseDouble(f[2]),
          org.assertj.core.api.Assertions.within(1e-12));
      assertThat(row.<Double>getAs("min")).isEqualTo(Double.parseDouble(f[3]));
      assertThat(row.<Double>getAs("max")).isEqualTo(Double.parseDouble(f[4]));
    }
  }
}
