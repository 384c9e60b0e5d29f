package io.npystats.compare;

import io.npystats.task.Stores;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What the generate phase does with the files its runs wrote, once checked. On ext4 without a
 * journal, every file created skips past the inodes freed in the last few minutes, and deleting a
 * run's folder before the next one wrote made each later run slower than the one before
 * (docs/performance.md). So a checked run's files are emptied, which frees their space and their
 * page cache but no inode, and the folders go only when the phase ends.
 */
final class WrittenFiles {
  private WrittenFiles() {}

  /**
   * Truncates every file to nothing, keeping its inode; a store that cannot truncate, as object
   * stores cannot, deletes the file instead.
   */
  static void empty(List<String> files, Configuration conf) throws IOException {
    for (String file : files) {
      Path path = new Path(file);
      FileSystem fs = Stores.of(path, conf);
      try {
        fs.truncate(path, 0); // false only says that HDFS finishes it in the background
      } catch (UnsupportedOperationException e) {
        fs.delete(path, false);
      }
    }
  }

  static void deleteFolder(String dir, Configuration conf) throws IOException {
    Path path = new Path(dir);
    Stores.of(path, conf).delete(path, true);
  }
}
