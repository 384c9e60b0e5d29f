package io.npystats.spark;

import io.npystats.task.Stores;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The warehouse's run bookkeeping, for the driver only. A {@code stats} run is committed by its
 * row in {@code runs}, written after its {@code file_stats} rows: readers see only run ids that
 * have that row, so a run killed at any moment is either whole or invisible. What a killed run
 * left (partitions without a {@code runs} row, Spark's staging folders) is cleared by the next
 * command that writes, while it holds the writer's lock.
 *
 * <p>The lock is an operating-system lock on {@code _writer.lock} in a local warehouse, which
 * the system releases when its process dies, even by {@code kill -9}. Other stores (HDFS, S3)
 * have no such lock: there, one writing command at a time per warehouse.
 */
public final class Warehouse implements AutoCloseable {
  static final String LOCK_FILE = "_writer.lock";
  /**
   * How a staging folder's name starts: a table's folder holds a writer's files there until they
   * move into the run's partition. Readers skip it, as they skip every name that starts with a dot.
   */
  static final String STAGING_PREFIX = ".npystats-staging-";
  private static final String[] TABLES = {Tables.RUNS, Tables.FILE_STATS, Tables.BENCHMARKS};

  private final FileSystem fs;
  private final Path root;
  private final FileChannel lockChannel;

  private Warehouse(FileSystem fs, Path root, FileChannel lockChannel) {
    this.fs = fs;
    this.root = root;
    this.lockChannel = lockChannel;
  }

  /**
   * Takes the writer's lock, waiting for another writer to finish, and clears what killed runs
   * left behind.
   */
  public static Warehouse forWriting(String warehouse, Configuration conf) throws IOException {
    Path root = new Path(warehouse);
    FileSystem fs = root.getFileSystem(conf);
    FileChannel channel = null;
    try {
      java.nio.file.Path dir = Stores.localPathOf(fs, root);
      if (dir != null) {
        java.nio.file.Files.createDirectories(dir);
        channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        channel.lock();
      }
      Warehouse w = new Warehouse(fs, root, channel);
      w.clearLeftovers();
      return w;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      throw new WarehouseWriteException(warehouse, e);
    }
  }

  /** The run ids committed in {@code warehouse}: those with a {@code runs} row. */
  public static Set<String> committedRuns(String warehouse, Configuration conf) throws IOException {
    Path root = new Path(warehouse);
    return runIds(root.getFileSystem(conf), new Path(root, Tables.RUNS));
  }

  /**
   * A new, empty staging folder in {@code table} for files of run {@code runId}: hidden from
   * readers, and a leftover for the next writer where this one is killed before it moves them in.
   */
  public Path stage(String table, String runId) throws IOException {
    Path dir = new Path(new Path(root, table), STAGING_PREFIX + runId + "-" + UUID.randomUUID());
    if (!mkdirs(dir)) {
      throw new IOException("could not create " + dir);
    }
    return dir;
  }

  /**
   * Creates {@code dir} and the folders above it; a local one with {@code java.nio}
   * ({@link Stores#localPathOf}): a run makes three folders in its job's time and three more
   * after it.
   */
  private boolean mkdirs(Path dir) throws IOException {
    java.nio.file.Path local = Stores.localPathOf(fs, dir);
    if (local != null) {
      java.nio.file.Files.createDirectories(local);
      return true;
    }
    return fs.mkdirs(dir);
  }

  /**
   * Replaces run {@code runId}'s partition of {@code table} with {@code files}, staged in
   * {@code staging}: the partition goes, the files move into it under their names, and the staging
   * folder goes with anything else left in it (a failed attempt's file). A store that renames by
   * copying (S3) copies each file once.
   */
  public void replacePartition(String table, String runId, Path staging, List<Path> files)
      throws IOException {
    Path partition = partition(table, runId);
    fs.delete(partition, true);
    if (!files.isEmpty() && !mkdirs(partition)) {
      throw new IOException("could not create " + partition);
    }
    for (Path file : files) {
      Path moved = new Path(partition, file.getName());
      if (!fs.rename(file, moved)) {
        throw new IOException("could not move " + file + " to " + moved);
      }
    }
    fs.delete(staging, true);
  }

  /**
   * Removes a staging folder whose files will not be moved in (its run failed), and its table's
   * folder where that is left empty: a run that wrote nothing leaves nothing.
   */
  public void discard(Path staging) throws IOException {
    fs.delete(staging, true);
    Path table = staging.getParent();
    if (fs.exists(table) && fs.listStatus(table).length == 0) {
      fs.delete(table, false);
    }
  }

  /**
   * Withdraws a run from readers by removing its {@code runs} row; its other rows are then
   * leftovers. A re-run does this before it writes, so that a re-run killed part way leaves the
   * run absent rather than its old row over new data.
   */
  public boolean uncommit(String runId) throws IOException {
    return fs.delete(partition(Tables.RUNS, runId), true);
  }

  /**
   * Removes a run from every table, its commit row first so that readers stop seeing it before
   * any of its rows go.
   *
   * @return the tables that held the run, in the order they lost it
   */
  public List<String> delete(String runId) throws IOException {
    List<String> held = new ArrayList<>();
    for (String table : TABLES) {
      if (fs.delete(partition(table, runId), true)) {
        held.add(table);
      }
    }
    return held;
  }

  /**
   * Staging folders (Spark's and this application's) in every table and the {@code file_stats}
   * partitions of run ids without a {@code runs} row. Safe only under the writer's lock: a live writer's staging
   * folders and uncommitted partitions look the same.
   */
  List<Path> leftovers() throws IOException {
    List<Path> found = new ArrayList<>();
    for (String table : TABLES) {
      Path dir = new Path(root, table);
      if (fs.exists(dir)) {
        for (FileStatus child : fs.listStatus(dir)) {
          String name = child.getPath().getName();
          if (name.startsWith(".spark-staging-") || name.startsWith(STAGING_PREFIX)
              || name.equals("_temporary")) {
            found.add(child.getPath());
          }
        }
      }
    }
    Set<String> committed = runIds(fs, new Path(root, Tables.RUNS));
    for (String runId : runIds(fs, new Path(root, Tables.FILE_STATS))) {
      if (!committed.contains(runId)) {
        found.add(partition(Tables.FILE_STATS, runId));
      }
    }
    return found;
  }

  private void clearLeftovers() throws IOException {
    for (Path leftover : leftovers()) {
      fs.delete(leftover, true);
    }
  }

  private Path partition(String table, String runId) {
    return new Path(new Path(root, table), Tables.RUN_ID + "=" + runId);
  }

  private static Set<String> runIds(FileSystem fs, Path table) throws IOException {
    Set<String> ids = new TreeSet<>();
    if (!fs.exists(table)) {
      return ids;
    }
    String prefix = Tables.RUN_ID + "=";
    for (FileStatus child : fs.listStatus(table)) {
      String name = child.getPath().getName();
      if (child.isDirectory() && name.startsWith(prefix)) {
        ids.add(name.substring(prefix.length()));
      }
    }
    return ids;
  }

  @Override
  public void close() throws IOException {
    if (lockChannel != null) {
      // Closing the channel releases the lock.
      lockChannel.close();
    }
  }
}
