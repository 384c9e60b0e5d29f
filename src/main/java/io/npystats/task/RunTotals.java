package io.npystats.task;

import io.npystats.stats.StreamingStats;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What a run adds up to over its files: how many were read or refused, their bytes, the overall
 * statistics merged exactly from each file's partial, and the first refusals by path, so that a
 * command can name them without reading its table back.
 */
public final class RunTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How many refusals are kept: the first by path. */
  public static final int FAILURES_KEPT = 10;

  /** A file that was refused, and why. */
  public record Failure(String path, String reason) implements Serializable {}

  private static final Comparator<Failure> BY_PATH = Comparator.comparing(Failure::path);

  private long ok;
  private long failed;
  private long bytes;
  private final StreamingStats stats = new StreamingStats();
  /** Sorted by path, at most {@link #FAILURES_KEPT}. */
  private final ArrayList<Failure> firstFailures = new ArrayList<>();

  public RunTotals add(FileSummary summary) {
    if (summary.isOk()) {
      ok++;
      summary.mergeInto(stats);
    } else {
      failed++;
      keep(new Failure(summary.path(), summary.error()));
    }
    bytes += Math.max(0, summary.bytes());
    return this;
  }

  public RunTotals merge(RunTotals other) {
    ok += other.ok;
    failed += other.failed;
    bytes += other.bytes;
    stats.merge(other.stats);
    other.firstFailures.forEach(this::keep);
    return this;
  }

  private void keep(Failure failure) {
    int at = Collections.binarySearch(firstFailures, failure, BY_PATH);
    at = at < 0 ? -at - 1 : at;
    if (at < FAILURES_KEPT) {
      firstFailures.add(at, failure);
      if (firstFailures.size() > FAILURES_KEPT) {
        firstFailures.remove(FAILURES_KEPT);
      }
    }
  }

  /** The first {@link #FAILURES_KEPT} refused files, by path; all of them when fewer. */
  public List<Failure> firstFailures() {
    return List.copyOf(firstFailures);
  }

  public long files() {
    return ok + failed;
  }

  public long ok() {
    return ok;
  }

  public long failed() {
    return failed;
  }

  public long bytes() {
    return bytes;
  }

  public StreamingStats stats() {
    return stats;
  }
}
