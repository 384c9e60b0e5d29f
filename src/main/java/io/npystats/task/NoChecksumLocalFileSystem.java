package io.npystats.task;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;

/**
 * The local file system without {@code .crc} side files. Configured as {@code fs.file.impl}, so
 * that Spark's own writers (the Parquet tables) leave only the files a user expects. It stays a
 * {@link LocalFileSystem}, which code that asks for the local file system by type relies on.
 */
public class NoChecksumLocalFileSystem extends LocalFileSystem {
  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setWriteChecksum(false);
    setVerifyChecksum(false);
  }
}
