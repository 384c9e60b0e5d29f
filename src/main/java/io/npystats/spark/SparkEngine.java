package io.npystats.spark;

import io.npystats.engine.Engine;
import io.npystats.engine.EngineException;
import io.npystats.engine.EngineRun;
import io.npystats.engine.EngineSession;
import io.npystats.engine.GenerateWork;
import io.npystats.engine.Progress;
import io.npystats.engine.StatsWork;
import io.npystats.engine.Work;
import io.npystats.task.Clocks;
import io.npystats.task.HadoopConf;
import io.npystats.task.IndexRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Spark as an {@link Engine}: {@code local[W]}, or the cluster a master URL names. The executors
 * run the very classes the {@code stats} and {@code generate} jobs ship ({@link
 * StatsJob.SummarizePaths}, {@link GenerateJob.GenerateEach}), cut into partitions the way those
 * jobs cut them, and every file's result is collected on the driver so that it can be checked
 * against the other engines.
 *
 * <p>Start-up is what the commands count as start-up: the session, the executors registering and
 * one trivial warm-up job ({@link SparkSessions#warmUp}). By default each worker count gets a
 * session of its own ({@link SparkSessions#start}): a JVM holds one Spark context, so opening a
 * session stops any session already running, and closing it stops Spark. Driver-only.
 */
public final class SparkEngine implements Engine {
  public static final String LOCAL = "spark";
  public static final String CLUSTER = "spark-cluster";

  /** Whether this JVM has started a Spark session before: the first one also loads Spark. */
  private static final AtomicBoolean STARTED_BEFORE = new AtomicBoolean();

  /** How long a cluster's executors may take to register. */
  private static final long EXECUTOR_WAIT_MILLIS = 60_000;

  /** Where the engine's sessions come from. */
  @FunctionalInterface
  public interface Sessions {
    /**
     * A session on {@code master} for one worker count's runs; closing the handle ends what
     * this call started.
     */
    SparkSessions.Handle open(String appName, String master, Map<String, String> settings);
  }

  private final String master;
  private final Map<String, String> settings;
  private final Sessions sessions;

  private SparkEngine(String master, Map<String, String> settings, Sessions sessions) {
    this.master = master;
    this.settings = new LinkedHashMap<>(settings);
    this.sessions = sessions;
  }

  /**
   * {@code local[W]} for each worker count W, a session of its own for each.
   *
   * @param settings Spark settings for each session, over the application's defaults
   */
  public static SparkEngine local(Map<String, String> settings) {
    return local(settings, SparkSessions::start);
  }

  /** {@code local[W]}, its sessions from {@code sessions}. */
  public static SparkEngine local(Map<String, String> settings, Sessions sessions) {
    return new SparkEngine(null, settings, sessions);
  }

  /** The cluster at {@code master}: its workers are its executors' cores, whatever is asked. */
  public static SparkEngine cluster(String master, Map<String, String> settings) {
    if (master == null || master.startsWith("local")) {
      throw new IllegalArgumentException("not a cluster master: " + master);
    }
    return new SparkEngine(master, settings, SparkSessions::start);
  }

  @Override
  public String name() {
    return master == null ? LOCAL : CLUSTER;
  }

  @Override
  public String about() {
    return master == null
        ? "Spark local[W] runs tasks on W threads of one JVM, like the pool, and pays for starting a"
            + " session and for scheduling tasks and shipping results; in return the same job runs"
            + " on a cluster unchanged."
        : "A cluster's executors share nothing with the driver: each is its own JVM, tasks and"
            + " results cross the network, and the files must sit where every executor can read them.";
  }

  @Override
  public EngineSession open(int workers) throws EngineException {
    if (workers < 1) {
      throw new IllegalArgumentException(name() + " needs at least one worker, not " + workers);
    }
    long start = System.nanoTime();
    String url = master == null ? "local[" + workers + "]" : master;
    SparkSessions.Handle handle;
    try {
      handle = sessions.open("npystats compare " + name() + " " + workers, url, settings);
    } catch (RuntimeException e) {
      throw new EngineException(name() + ": could not start Spark on " + url + ": " + e.getMessage(), e);
    }
    int cores = master == null ? workers : awaitExecutors(handle);
    SparkSessions.warmUp(handle.spark());
    String note = STARTED_BEFORE.getAndSet(true) ? "" : ", the JVM's first session (loads Spark)";
    return new Session(handle, url, note, cores, start);
  }

  /** The executors' cores, once at least one executor has registered. */
  private int awaitExecutors(SparkSessions.Handle handle) throws EngineException {
    SparkSession spark = handle.spark();
    long deadline = System.currentTimeMillis() + EXECUTOR_WAIT_MILLIS;
    while (spark.sparkContext().getExecutorMemoryStatus().size() < 2) {
      if (System.currentTimeMillis() > deadline) {
        handle.close();
        throw new EngineException(CLUSTER + ": no executor registered with " + master + " within "
            + EXECUTOR_WAIT_MILLIS / 1000 + " s; is the cluster running and has it free cores?");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        handle.close();
        throw new EngineException(CLUSTER + ": interrupted while waiting for executors");
      }
    }
    return spark.sparkContext().defaultParallelism();
  }

  private final class Session implements EngineSession {
    private final SparkSessions.Handle handle;
    private final SparkSession spark;
    private final String url;
    private final String note;
    private final int workers;
    private final double startupSeconds;
    /**
     * The Hadoop configuration every run's tasks read, broadcast once a session: it does not
     * change between runs, and broadcasting it (sizing, serializing and storing its thousand
     * properties) was a cost of every run (docs/performance.md).
     */
    private final Broadcast<HadoopConf> conf;

    /** @param startNanos when the session began to start: the broadcast counts as start-up */
    Session(SparkSessions.Handle handle, String url, String note, int workers, long startNanos) {
      this.handle = handle;
      this.spark = handle.spark();
      this.url = url;
      this.note = note;
      this.workers = workers;
      this.conf = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
      this.startupSeconds = Clocks.secondsSince(startNanos);
    }

    @Override
    public <R> EngineRun<R> run(Work<R> work, Progress progress) throws EngineException {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      TaskCpu taskCpu = new TaskCpu();
      jsc.sc().addSparkListener(taskCpu);
      double cpuBefore = Clocks.processCpuSeconds();
      long start = System.nanoTime();
      Collected collected;
      try {
        collected = work.on(new Work.Cases<>() {
          @Override
          public Collected stats(StatsWork stats) {
            int partitions = Math.max(1, Math.min(work.size(),
                StatsJob.defaultPartitions(work.size(), workers)));
            jsc.setJobDescription("compare: stats of " + work.size() + " files");
            return new Collected(partitions, PartitionJobs.collect(
                jsc.parallelize(stats.paths(), partitions), new StatsJob.SummarizePaths(conf)));
          }

          @Override
          public Collected generate(GenerateWork generate) {
            List<IndexRange> ranges = IndexRange.cut(generate.first(), generate.size(),
                GenerateJob.defaultPartitions(workers));
            int partitions = Math.max(1, ranges.size());
            jsc.setJobDescription("compare: generate " + work.size() + " files");
            return new Collected(partitions, PartitionJobs.collect(
                jsc.parallelize(ranges, partitions), new GenerateJob.GenerateEach(conf,
                    generate.dir(), generate.seed(), generate.samples())));
          }
        });
      } catch (RuntimeException e) {
        throw new EngineException(name() + ": the job on " + url + " failed: " + e.getMessage(), e);
      } finally {
        jsc.sc().removeSparkListener(taskCpu);
      }
      double seconds = Clocks.secondsSince(start);
      double cpu = Clocks.processCpuSeconds() - cpuBefore;
      if (master != null) {
        cpu += taskCpu.nanos.get() / 1e9; // executors are other processes
      }
      int partitions = collected.partitions();
      List<?> results = collected.results();
      if (results.size() != work.size()) {
        throw new EngineException(name() + ": " + results.size() + " results for " + work.size()
            + " files");
      }
      progress.advance(results.size());
      return EngineRun.of(name(), workers, work, cast(results), startupSeconds, seconds, cpu,
          url + ", " + partitions + " partitions" + note);
    }

    @SuppressWarnings("unchecked")
    private <R> List<R> cast(List<?> results) {
      return (List<R>) results;
    }

    @Override
    public void close() {
      conf.destroy();
      handle.close();
    }
  }

  /** What a job brought back: every file's result, in item order. */
  private record Collected(int partitions, List<?> results) {}

  /** CPU time the executors spent in this job's tasks, as their metrics report it. */
  private static final class TaskCpu extends SparkListener {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      TaskMetrics metrics = end.taskMetrics();
      if (metrics != null) {
        nanos.addAndGet(metrics.executorCpuTime() + metrics.executorDeserializeCpuTime());
      }
    }
  }
}
