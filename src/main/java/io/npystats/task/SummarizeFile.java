package io.npystats.task;

import io.npystats.npy.NpyFormatException;
import io.npystats.npy.NpyHeader;
import io.npystats.npy.NpyReader;
import io.npystats.stats.StreamingStats;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The per-file statistics task, shared by every engine: open one path through Hadoop, stream it
 * through the {@code .npy} reader into a {@link StreamingStats}, and turn any failure into an
 * error row that names the reason. One instance per thread: it reuses its read buffers.
 */
public final class SummarizeFile {
  static final int READ_ATTEMPTS = 2;

  private final Configuration conf;
  private final NpyReader reader;
  private FileSystem fileSystem;
  private URI fileSystemUri;

  public SummarizeFile(Configuration conf) {
    this(conf, NpyReader.DEFAULT_BUFFER_BYTES);
  }

  public SummarizeFile(Configuration conf, int bufferBytes) {
    this.conf = conf;
    this.reader = new NpyReader(bufferBytes);
  }

  /**
   * Never throws for a bad file: the result says what went wrong. A read that fails for a reason
   * other than the file's content (a network store's hiccup) is tried once more first.
   */
  public FileSummary apply(String path) {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      long[] length = {0};
      try {
        return read(path, start, length);
      } catch (NpyFormatException e) {
        return FileSummary.error(path, e.getMessage(), length[0], Clocks.secondsSince(start));
      } catch (FileNotFoundException e) {
        String reason = Stores.IS_DIRECTORY.equals(e.getMessage())
            || Stores.NOT_REGULAR.equals(e.getMessage()) ? e.getMessage() : Stores.NO_SUCH_FILE;
        return FileSummary.error(path, reason, length[0], Clocks.secondsSince(start));
      } catch (IOException e) {
        if (attempt < READ_ATTEMPTS) {
          continue;
        }
        return FileSummary.error(path, "could not be read (" + READ_ATTEMPTS + " attempts): "
            + e.getClass().getSimpleName() + ": " + e.getMessage(), length[0], Clocks.secondsSince(start));
      } catch (RuntimeException e) {
        return FileSummary.error(path, "could not be read: " + e.getClass().getSimpleName() + ": "
            + e.getMessage(), length[0], Clocks.secondsSince(start));
      }
    }
  }

  private FileSummary read(String path, long start, long[] length) throws IOException {
    Path location = new Path(path);
    try (Stores.ReadableFile file = Stores.openForRead(location, fileSystemOf(location))) {
      length[0] = file.length();
      StreamingStats stats = new StreamingStats();
      NpyHeader header = reader.read(file.channel(), file.length(), stats::add);
      return FileSummary.ok(path, header.dtype().descr(), header.shapeString(), stats,
          file.length(), Clocks.secondsSince(start));
    }
  }

  /**
   * The file system of {@code path}, kept while paths stay on it: looking one up costs a user
   * lookup in Hadoop's cache each time, as much as the rest of opening a file.
   */
  private FileSystem fileSystemOf(Path path) throws IOException {
    URI uri = path.toUri();
    if (fileSystem == null || !Objects.equals(uri.getScheme(), fileSystemUri.getScheme())
        || !Objects.equals(uri.getAuthority(), fileSystemUri.getAuthority())) {
      fileSystem = Stores.of(path, conf);
      fileSystemUri = uri;
    }
    return fileSystem;
  }
}
