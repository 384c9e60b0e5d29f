package io.npystats.spark;

import io.npystats.task.NoChecksumLocalFileSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Builds the application's session. The master and resources come from {@code spark-submit}
 * ({@code --master}, {@code conf/spark-defaults.conf}); only the settings the application's tables
 * and jobs rely on are defaulted here, and a value the user gave always wins.
 */
public final class SparkSessions {
  /** Settings the tables and jobs rely on; each is applied unless the user set it. */
  public static final Map<String, String> DEFAULTS = Map.of(
      // A re-run with the same run id replaces that run's partition and leaves the others alone.
      "spark.sql.sources.partitionOverwriteMode", "dynamic",
      // Run ids such as 42 stay strings when the tables are read back.
      "spark.sql.sources.partitionColumnTypeInference.enabled", "false",
      // No .crc file beside every Parquet file on the local file system.
      "spark.hadoop.fs.file.impl", NoChecksumLocalFileSystem.class.getName(),
      // Spark's own catalog makes its default database's folder (spark-warehouse/ in the working
      // directory) on the first query. The application keeps no tables there and sql writes
      // nothing, so an existing folder that is never written takes its place.
      "spark.sql.warehouse.dir", Paths.get(System.getProperty("java.io.tmpdir")).toUri().toString(),
      // A broadcast is written into buffers of its block size, 4 MB by default, allocated and
      // zeroed for every broadcast however small it is; each job makes two of some kilobytes (its
      // Hadoop settings and its tasks' code). Zeroing 4 MB of memory the JVM had not touched
      // cost 10 to 20 ms each on a VM whose every new page is a fault to its host, on the
      // driver's critical path (docs/performance.md, "The fixed cost of a job").
      "spark.broadcast.blockSize", "256k");

  private SparkSessions() {}

  /**
   * The session a command runs in. Closing it stops Spark only if this call started it, so a
   * command run inside a test (or a notebook) leaves the caller's session alone.
   */
  public static final class Handle implements AutoCloseable {
    private final SparkSession spark;
    private final boolean owned;

    private Handle(SparkSession spark, boolean owned) {
      this.spark = spark;
      this.owned = owned;
    }

    public SparkSession spark() {
      return spark;
    }

    @Override
    public void close() {
      if (owned) {
        spark.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
      }
    }
  }

  public static Handle open(String appName) {
    boolean existed = isLive(SparkSession.getActiveSession())
        || isLive(SparkSession.getDefaultSession());
    if (!existed) {
      // A session stopped earlier in this JVM would otherwise be handed out again, unusable.
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    return new Handle(getOrCreate(appName), !existed);
  }

  /**
   * A session of its own on {@code master}, with {@code settings} over the application's
   * defaults, for work that must choose its master (compare's spark engines). A JVM holds one
   * Spark context, so whatever session runs now is stopped first; closing the handle stops this
   * one.
   */
  public static Handle start(String appName, String master, Map<String, String> settings) {
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    SparkSession.Builder builder = builder(appName).master(master);
    settings.forEach(builder::config);
    return new Handle(builder.getOrCreate(), true);
  }

  private static boolean isLive(scala.Option<SparkSession> session) {
    return session.isDefined() && !session.get().sparkContext().isStopped();
  }

  /**
   * Runs one trivial task per core and waits for it, so that what a command then times is its own
   * work: executors registered (on a cluster they join after the session starts) and the
   * scheduler's first-job class loading done. The tasks go the way the commands' go (a function of
   * each partition, its results collected: {@link PartitionJobs}), so that what their closures
   * need is deserialized once here: the first tasks of a stats job of one large file took 12 to
   * 18 ms to deserialize after a plain count, 5 to 12 ms after this. Then resolves the local file
   * system: the first path resolved in a JVM makes Hadoop find every file system it has and read
   * its XML configuration again, a one-off cost of the process like Spark's own
   * (docs/performance.md). Counted as start-up, never as work.
   */
  public static void warmUp(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slots = jsc.defaultParallelism();
    jsc.setJobDescription("warm up " + slots + " task slots");
    PartitionJobs.collect(jsc.parallelize(IntStream.range(0, slots).boxed().toList(), slots),
        new CountEach());
    jsc.setJobDescription(null);
    resolveLocalFileSystem(jsc);
  }

  /** The local file system resolved once, as {@link #warmUp} does after its job. */
  static void resolveLocalFileSystem(JavaSparkContext jsc) {
    try {
      FileSystem.getLocal(jsc.hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("Hadoop's local file system is not available", e);
    }
  }

  /** The warm-up's task: how many items its partition holds. */
  private static final class CountEach implements FlatMapFunction<Iterator<Integer>, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Integer> call(Iterator<Integer> items) {
      int count = 0;
      for (; items.hasNext(); items.next()) {
        count++;
      }
      return List.of(count).iterator();
    }
  }

  /**
   * The Hadoop settings a session would get, without starting one: Hadoop's defaults, the
   * application's own ({@link #DEFAULTS}), then every {@code spark.hadoop.*} setting given, for
   * work done on the driver outside Spark. The application's matter: Hadoop caches one local file
   * system per JVM for whichever configuration asks first, and without them a table written
   * later in the same JVM would get a {@code .crc} beside every file.
   */
  public static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    Map<String, String> settings = new LinkedHashMap<>(DEFAULTS);
    for (Tuple2<String, String> entry : new SparkConf().getAll()) {
      settings.put(entry._1(), entry._2());
    }
    settings.forEach((key, value) -> {
      if (key.startsWith("spark.hadoop.")) {
        conf.set(key.substring("spark.hadoop.".length()), value);
      }
    });
    return conf;
  }

  public static SparkSession getOrCreate(String appName) {
    SparkSession.Builder builder = builder(appName);
    if (!new SparkConf().contains("spark.master")) {
      // Launched without spark-submit (an IDE, plain java): the same retrying default as submit.sh.
      builder.master("local[*,4]");
    }
    return builder.getOrCreate();
  }

  /**
   * Every session of the application starts here: the name, and each of {@link #DEFAULTS} the
   * user has not set. The caller adds the master where it chooses one.
   */
  public static SparkSession.Builder builder(String appName) {
    SparkConf user = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    DEFAULTS.forEach((key, value) -> {
      if (!user.contains(key)) {
        builder.config(key, value);
      }
    });
    return builder;
  }
}
