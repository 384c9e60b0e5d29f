package io.npystats.testing;

import io.npystats.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} session for the whole test JVM, built with the application's own defaults.
 * Starting Spark takes seconds, so suites share it rather than start one each; Spark's own
 * shutdown hook stops it when the JVM exits. The master allows two attempts per task, as the
 * application's default does, so tests see the retry behaviour users get.
 */
public final class SharedSpark {
  private static SparkSession spark;

  private SharedSpark() {}

  public static synchronized SparkSession spark() {
    if (spark == null || spark.sparkContext().isStopped()) {
      SparkSession.Builder builder = SparkSession.builder()
          .master("local[2,2]")
          .appName("npystats-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4");
      SparkSessions.DEFAULTS.forEach(builder::config);
      spark = builder.getOrCreate();
    }
    return spark;
  }
}
