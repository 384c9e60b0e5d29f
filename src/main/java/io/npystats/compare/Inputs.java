package io.npystats.compare;

import io.npystats.engine.EngineException;
import io.npystats.engine.EngineSession;
import io.npystats.engine.GenerateWork;
import io.npystats.engine.ThreadPoolEngine;
import io.npystats.task.GenerateFile;
import io.npystats.task.InputPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** The files a comparison's stats phase summarises, one list per size. Driver-only. */
final class Inputs {
  private Inputs() {}

  /** The folder generated inputs are kept in, named by what is in it. */
  static String generatedFolder(ComparisonSettings settings) {
    return new Path(settings.workDir(), String.format(Locale.ROOT, "files-%dx%d-seed%d",
        largest(settings), settings.samples(), settings.seed())).toString();
  }

  static long largest(ComparisonSettings settings) {
    return settings.files().get(settings.files().size() - 1);
  }

  /**
   * The files to summarise, one list per size: the input named, or a generated folder kept for
   * the next compare. A generated file depends only on the seed and its index, so the sizes of a
   * sweep share one folder of the largest size.
   */
  static List<List<String>> paths(ComparisonSettings settings, Configuration conf, PrintWriter out)
      throws IOException, EngineException {
    List<String> all;
    if (settings.input() != null) {
      all = byIndex(InputPaths.list(settings.input(), conf));
    } else {
      String dir = generatedFolder(settings);
      GenerateFile.removeTemporaries(dir, conf);
      out.printf("input: %,d files of %,d samples in %s (written once, then kept)%n",
          largest(settings), settings.samples(), dir);
      out.flush();
      GenerateWork work = new GenerateWork(dir, settings.seed(), settings.samples(),
          Math.toIntExact(largest(settings)));
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
    sorted.sort(Comparator.comparingLong(Inputs::index).thenComparing(Comparator.naturalOrder()));
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
}
