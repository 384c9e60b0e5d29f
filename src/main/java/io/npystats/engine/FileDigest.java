package io.npystats.engine;

import io.npystats.task.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A written file's name, length and CRC-32C: enough to tell that two folders hold the same bytes
 * without keeping either in memory.
 */
public record FileDigest(String path, String name, long length, long crc32c) {

  /** Reads each file through its store. */
  public static List<FileDigest> of(List<String> paths, Configuration conf) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    List<FileDigest> out = new ArrayList<>(paths.size());
    for (String path : paths) {
      Path p = new Path(path);
      CRC32C crc = new CRC32C();
      long length = 0;
      try (Stores.ReadableFile file = Stores.openForRead(p, conf)) {
        int n;
        while ((n = file.channel().read(buffer.clear())) >= 0) {
          crc.update(buffer.flip());
          length += n;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + path + ": " + e.getMessage(), e);
      }
      out.add(new FileDigest(path, p.getName(), length, crc.getValue()));
    }
    return out;
  }
}
