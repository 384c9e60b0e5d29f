package io.npystats.task;

import java.lang.management.ManagementFactory;

/**
 * When a local data set is best moved past the page cache, with direct I/O: {@code generate}'s
 * writes and {@code stats}' reads of files not yet cached.
 *
 * <p>Past a fifth of the machine's memory (Linux's default {@code vm.dirty_ratio}) a data set
 * written through the page cache is held to the disk's speed by the kernel anyway, and one read
 * through it either no longer fits beside everything else or, on a VM, has every page it fills
 * found free first, often by the host. Direct I/O moves the bytes between the disk and a reused
 * buffer instead. 10,000 files of 100,000 samples (8 GB, over a fifth of 23 GiB) were generated
 * in 12.6 s through the page cache and 5.2 to 5.6 s direct, and read cold in 7.5 to 10.4 s
 * through it and 4.0 to 4.8 s direct; a smaller data set stays cached for the next run
 * (docs/performance.md, "O_DIRECT for data sets larger than memory" and "Reading ahead").
 */
public final class DirectIo {
  static final double SHARE_OF_MEMORY = 0.2;

  private DirectIo() {}

  /**
   * Whether a run's files go past the page cache where no setting says: in a local run, where
   * this machine's memory is the one that caches them, once they are {@link #pastPageCache}. On a
   * cluster each executor holds part of the data set in memory of its own, which the driver does
   * not know, so a cluster's runs keep the page cache unless told.
   *
   * @param localRun whether the run's tasks run in this JVM (Spark's local mode)
   */
  public static boolean byDefault(boolean localRun, long bytes) {
    return localRun && pastPageCache(bytes);
  }

  /** Whether {@code bytes} of files are over {@link #SHARE_OF_MEMORY} of this machine's memory. */
  static boolean pastPageCache(long bytes) {
    return bytes > SHARE_OF_MEMORY * machineMemory();
  }

  /** This machine's memory, as the JVM sees it (a container's limit, where there is one). */
  static long machineMemory() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
  }
}
