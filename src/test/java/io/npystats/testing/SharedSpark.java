package io.npystats.testing;

import io.npystats.spark.SparkEngine;
import io.npystats.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} session for the whole test JVM, built by the application's own builder.
 * Starting Spark takes seconds, so suites share it rather than start one each; Spark's own
 * shutdown hook stops it when the JVM exits, and no test stops it or changes its settings. The
 * master allows two attempts per task, as the application's default does, so tests see the retry
 * behaviour users get.
 */
public final class SharedSpark {
  public static final String MASTER = "local[2,2]";

  private static SparkSession spark;

  private SharedSpark() {}

  public static synchronized SparkSession spark() {
    if (spark == null) {
      spark = SparkSessions.builder("npystats-tests")
          .master(MASTER)
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.hadoop.fs." + FailsOnceFileSystem.SCHEME + ".impl",
              FailsOnceFileSystem.class.getName())
          .getOrCreate();
    }
    if (spark.sparkContext().isStopped()) {
      throw new IllegalStateException("the shared test session was stopped; a test that needs a"
          + " session of its own runs it in a child JVM (ChildJvm)");
    }
    return spark;
  }

  /**
   * Sessions for the {@code spark} engine that are this shared session, left running when the
   * engine is done with them. It has two task threads, so the engine must ask for two workers.
   */
  public static SparkEngine.Sessions engineSessions() {
    return (appName, master, settings) -> {
      if (!master.equals("local[2]")) {
        throw new IllegalArgumentException("the shared test session runs " + MASTER
            + ": give the spark engine 2 workers, not " + master);
      }
      spark();
      return SparkSessions.open(appName);
    };
  }
}
