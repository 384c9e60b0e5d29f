package io.npystats.task;

import io.npystats.npy.NpyFormatException;
import io.npystats.npy.NpyHeader;
import io.npystats.npy.NpyReader;
import io.npystats.stats.StreamingStats;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The per-file statistics task, shared by every engine: open one path through Hadoop, stream it
 * through the {@code .npy} reader into a {@link StreamingStats}, and turn any failure into an
 * error row that names the reason. One instance per thread: it reuses its read buffers.
 */
public final class SummarizeFile {
  private final Configuration conf;
  private final NpyReader reader;

  public SummarizeFile(Configuration conf) {
    this(conf, NpyReader.DEFAULT_BUFFER_BYTES);
  }

  public SummarizeFile(Configuration conf, int bufferBytes) {
    this.conf = conf;
    this.reader = new NpyReader(bufferBytes);
  }

  /** Never throws for a bad file: the result says what went wrong. */
  public FileSummary apply(String path) {
    long start = System.nanoTime();
    long bytes = -1;
    try (Stores.ReadableFile file = Stores.openForRead(new Path(path), conf)) {
      bytes = file.length();
      StreamingStats stats = new StreamingStats();
      NpyHeader header = reader.read(file.channel(), bytes, stats::add);
      return FileSummary.ok(path, header.dtype().descr(), header.shapeString(), stats, bytes,
          seconds(start));
    } catch (NpyFormatException e) {
      return FileSummary.error(path, e.getMessage(), Math.max(bytes, 0), seconds(start));
    } catch (FileNotFoundException e) {
      String reason = Stores.IS_DIRECTORY.equals(e.getMessage()) ? Stores.IS_DIRECTORY : "no such file";
      return FileSummary.error(path, reason, Math.max(bytes, 0), seconds(start));
    } catch (IOException | RuntimeException e) {
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      return FileSummary.error(path, "could not be read: " + reason, Math.max(bytes, 0),
          seconds(start));
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
