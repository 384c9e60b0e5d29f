package io.npystats.task;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * An input's listing, started on a thread of its own before Spark starts, where the input is a
 * local folder: listing 100,000 files there took the driver 0.1 to 0.15 s after Spark's start-up
 * (0.3 s and more as the first listing of a fresh JVM), on a core that the start-up leaves partly
 * idle, and nothing in it needs the session. Any other input (a glob, a list, a file, another
 * store) is listed when the job asks, with the session's Hadoop settings, as before: a store's
 * file system made before the session would be cached with settings that the session adds to
 * (credentials from the environment among them). So is a plain path where the default file system
 * is not the local one (HDFS on a cluster), which the early thread finds out from the settings.
 *
 * <p>The early listing goes through a file system of its own, uncached, so that the one the
 * session and its tasks get is made from the session's settings. Its failure (no such folder, a
 * folder that cannot be read) is thrown where the job asks for the listing, as listing it then
 * would have thrown it.
 */
public final class ListingAhead {
  private final String input;
  /**
   * null where the input is listed when asked; completed with null where the early thread found
   * the input is not on the local file system after all
   */
  private final CompletableFuture<Timed> ahead;

  /** @param listing null once handed out */
  private record Timed(InputPaths.Listing listing, double seconds) {}

  private ListingAhead(String input, CompletableFuture<Timed> ahead) {
    this.input = input;
    this.ahead = ahead;
  }

  /** An input listed only when the job asks for it. */
  public static ListingAhead whenAsked(String input) {
    return new ListingAhead(input, null);
  }

  /**
   * Starts listing {@code input} on a daemon thread where it is a local folder, named by a plain
   * path or a {@code file:} URI; any other input is listed {@link #whenAsked}.
   *
   * @param conf Hadoop's settings for the early listing, made on its thread (loading Hadoop's
   *     defaults takes a while), which then gets a file system of its own
   */
  public static ListingAhead start(String input, Supplier<Configuration> conf) {
    return start(input, conf, null);
  }

  /**
   * {@link #start(String, Supplier)}, the listing waiting for {@code after} (the task warm-up's
   * thread, or null) to end first: the two shared the one core Spark's start-up leaves partly
   * idle, and the start-up took the longer for it, where one after the other it did not
   * (docs/performance.md#listing-during-start-up).
   */
  public static ListingAhead start(String input, Supplier<Configuration> conf, Thread after) {
    if (!isLocalFolder(input)) {
      return whenAsked(input);
    }
    CompletableFuture<Timed> ahead = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      awaitQuietly(after);
      long start = System.nanoTime();
      try {
        Configuration own = new Configuration(conf.get());
        if (!namesLocalFile(input, own)) {
          ahead.complete(null); // a plain path on a cluster whose default file system is HDFS
          return;
        }
        own.setBoolean("fs.file.impl.disable.cache", true);
        InputPaths.Listing listing = InputPaths.listing(input, own);
        ahead.complete(new Timed(listing, (System.nanoTime() - start) / 1e9));
      } catch (Throwable e) { // handed to the job, which throws it where the listing was asked for
        ahead.completeExceptionally(e);
      }
    }, "npystats-listing");
    thread.setDaemon(true);
    thread.start();
    return new ListingAhead(input, ahead);
  }

  /** The input as given. */
  public String input() {
    return input;
  }

  /** Whether the listing was started before the session, rather than asked for in the job. */
  public boolean isAhead() {
    return ahead != null;
  }

  /**
   * The listing: the one started ahead, waited for where it has not ended, or else the input
   * listed now with {@code conf}. The early listing is handed out once and then let go, its time
   * alone kept ({@link #seconds}), and a later call lists the input again: the job keeps its files
   * in its own compact form, and 100,000 paths held here as strings through the job were copied by
   * every young collection in it (docs/performance.md, "Where the warm job's time goes").
   */
  public InputPaths.Listing listing(Configuration conf) throws IOException {
    if (ahead == null) {
      return InputPaths.listing(input, conf);
    }
    try {
      Timed listed = ahead.get();
      if (listed == null || listed.listing() == null) {
        return InputPaths.listing(input, conf);
      }
      ahead.obtrudeValue(new Timed(null, listed.seconds()));
      return listed.listing();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing " + input, e);
    } catch (ExecutionException e) {
      throw Failures.rethrown(e.getCause());
    }
  }

  /**
   * How long the early listing took on its thread; NaN where there was none, it has not ended, or
   * it failed.
   */
  public double seconds() {
    if (ahead == null || !ahead.isDone() || ahead.isCompletedExceptionally()) {
      return Double.NaN;
    }
    Timed listed = ahead.join();
    return listed == null ? Double.NaN : listed.seconds();
  }

  /**
   * Whether {@code input} names the local file system under {@code conf}: a {@code file:} URI
   * always, a plain path where the default file system is the local one. On a cluster whose
   * default is HDFS, {@code /data/files} names a folder of HDFS, whatever the driver's own disk
   * holds, and is listed in the job.
   */
  static boolean namesLocalFile(String input, Configuration conf) {
    String scheme = new org.apache.hadoop.fs.Path(input).toUri().getScheme();
    if (scheme == null) {
      scheme = FileSystem.getDefaultUri(conf).getScheme();
    }
    return "file".equals(scheme);
  }

  private static void awaitQuietly(Thread thread) {
    if (thread == null) {
      return;
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // nothing interrupts it; were it, it would list at once
    }
  }

  /**
   * Whether {@code input} names a local folder, as a plain path or a {@code file:} URI, and is not
   * a glob ({@link InputPaths#isGlob}, the listing's own test).
   */
  static boolean isLocalFolder(String input) {
    if (input.isEmpty() || InputPaths.isGlob(input)) {
      return false;
    }
    String local;
    if (input.startsWith("file:")) {
      local = input.substring("file:".length());
      if (local.startsWith("//")) {
        if (!local.startsWith("///")) {
          return false; // file://host/...
        }
        local = local.substring(2);
      }
      if (local.indexOf('%') >= 0) {
        return false; // an escaped character: left to Hadoop's parsing
      }
    } else if (input.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return false; // another store's URI
    } else {
      local = input;
    }
    return new File(local).isDirectory();
  }
}
