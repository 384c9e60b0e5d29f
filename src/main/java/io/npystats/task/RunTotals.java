package io.npystats.task;

import io.npystats.stats.StreamingStats;
import java.io.Serializable;

/**
 * What a run adds up to over its files: how many were read or refused, their bytes, and the
 * overall statistics merged exactly from each file's partial.
 */
public final class RunTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  private long ok;
  private long failed;
  private long bytes;
  private final StreamingStats stats = new StreamingStats();

  public RunTotals add(FileSummary summary) {
    if (summary.isOk()) {
      ok++;
      stats.merge(summary.partial());
    } else {
      failed++;
    }
    bytes += Math.max(0, summary.bytes());
    return this;
  }

  public RunTotals merge(RunTotals other) {
    ok += other.ok;
    failed += other.failed;
    bytes += other.bytes;
    stats.merge(other.stats);
    return this;
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
