package io.npystats.task;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** Opens the Hadoop {@link FileSystem} of a path: file://, hdfs://, s3a:// alike. */
public final class Stores {
  private Stores() {}

  /**
   * The file system that holds {@code path}. On the local file system this is the raw one: the
   * checksumming wrapper would write a {@code .crc} file beside every {@code .npy}, and would read
   * each file twice over.
   */
  public static FileSystem of(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    if (fs instanceof LocalFileSystem local) {
      return local.getRawFileSystem();
    }
    return fs;
  }
}
