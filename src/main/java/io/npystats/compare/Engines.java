package io.npystats.compare;

import io.npystats.engine.Engine;
import io.npystats.engine.ProcessEngine;
import io.npystats.engine.SequentialEngine;
import io.npystats.engine.ThreadPerFileEngine;
import io.npystats.engine.ThreadPoolEngine;
import io.npystats.spark.SparkEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The engines a comparison knows by name, and the worker counts each runs at. Driver-only. */
public final class Engines {
  /** Engine names, in the order they run; sequential first, as the reference. */
  public static final List<String> NAMES = List.of(SequentialEngine.NAME, ThreadPoolEngine.NAME,
      ThreadPerFileEngine.NAME, ProcessEngine.NAME, SparkEngine.LOCAL, SparkEngine.CLUSTER);

  private Engines() {}

  /** Every engine but a cluster's when there is no cluster to run on. */
  public static List<String> defaultNames(boolean cluster) {
    List<String> names = new ArrayList<>(NAMES);
    if (!cluster) {
      names.remove(SparkEngine.CLUSTER);
    }
    return names;
  }

  /** 1, 2, 4, ... below this machine's cores, and the cores themselves. */
  public static List<Integer> defaultWorkers() {
    int cores = Runtime.getRuntime().availableProcessors();
    List<Integer> counts = new ArrayList<>();
    for (int w = 1; w < cores; w *= 2) {
      counts.add(w);
    }
    counts.add(cores);
    return counts;
  }

  /**
   * The engines {@code settings} names, in {@link #NAMES}' order, sequential always first.
   *
   * @param sparkSessions where the {@code spark} engine's sessions come from
   */
  static List<Engine> of(ComparisonSettings settings, Configuration conf,
      SparkEngine.Sessions sparkSessions) {
    List<Engine> engines = new ArrayList<>();
    for (String name : NAMES) {
      if (!name.equals(SequentialEngine.NAME) && !settings.engines().contains(name)) {
        continue;
      }
      Map<String, String> spark = new LinkedHashMap<>(settings.sparkSettings());
      spark.putIfAbsent("spark.ui.showConsoleProgress", Boolean.toString(settings.progress()));
      engines.add(switch (name) {
        case SequentialEngine.NAME -> new SequentialEngine(conf);
        case ThreadPoolEngine.NAME -> new ThreadPoolEngine(conf);
        case ThreadPerFileEngine.NAME -> new ThreadPerFileEngine(conf);
        case ProcessEngine.NAME -> new ProcessEngine(conf);
        case SparkEngine.LOCAL -> SparkEngine.local(localSettings(spark, settings.master()),
            sparkSessions);
        case SparkEngine.CLUSTER -> SparkEngine.cluster(settings.master(), spark);
        default -> throw new IllegalArgumentException("unknown engine " + name);
      });
    }
    return engines;
  }

  /**
   * A local session with authentication on makes up a secret of its own and leaves it in the
   * JVM's Hadoop credentials, where Spark looks first; the cluster's session and the session that
   * writes the benchmarks table would then present it to the cluster instead of the cluster's
   * own. Local sessions need no authentication: nothing outside the JVM talks to them.
   */
  private static Map<String, String> localSettings(Map<String, String> spark, String master) {
    Map<String, String> local = new LinkedHashMap<>(spark);
    if (master != null) {
      local.put("spark.authenticate", "false");
    }
    return local;
  }

  /** Sequential runs on one thread, thread-per-file on one per file, a cluster on what it has. */
  static List<Integer> workerCounts(Engine engine, List<Integer> workers) {
    return switch (engine.name()) {
      case SequentialEngine.NAME, ThreadPerFileEngine.NAME -> List.of(1);
      case SparkEngine.CLUSTER -> List.of(workers.get(workers.size() - 1));
      default -> workers;
    };
  }
}
