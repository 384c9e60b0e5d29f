package io.npystats.task;

import io.npystats.npy.NpyDtype;
import io.npystats.npy.NpyFormatException;
import io.npystats.npy.NpyHeader;
import io.npystats.npy.NpyReader;
import io.npystats.stats.StreamingStats;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.Objects;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The per-file statistics task, shared by every engine: open one path through Hadoop, stream it
 * through the {@code .npy} reader into a {@link StreamingStats}, and turn any failure into an
 * error row that names the reason. One instance per thread: it reuses its read buffers.
 */
public final class SummarizeFile {
  static final int READ_ATTEMPTS = 2;

  private final Configuration conf;
  private final NpyReader reader;
  /** The partial of each whole file read, cleared for the next: one, with its working memory. */
  private final StreamingStats fileStats = new StreamingStats();
  private final NpyReader.ChunkConsumer addToFileStats = fileStats::add;
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
   * What a file's first task gives: its summary, or, for a file larger than one split, the splits
   * that tasks of their own are to read. Exactly one of the two is set.
   */
  public record FirstRead(FileSummary summary, FileSplits splits) implements Serializable {}

  /**
   * Never throws for a bad file: the result says what went wrong. A read that fails for a reason
   * other than the file's content (a network store's hiccup) is tried once more first.
   */
  public FileSummary apply(String path) {
    return first(path, Long.MAX_VALUE).summary();
  }

  /**
   * Reads the header of {@code path} and checks its length, as {@link #apply} does, and then the
   * data too where it is no larger than {@code maxSplitBytes}; a larger file gets its splits
   * instead, so that a bad file is still refused here, once.
   */
  public FirstRead first(String path, long maxSplitBytes) {
    return first(path, null, maxSplitBytes);
  }

  /**
   * {@link #first(String, long)} of a file whose status a listing gave: the store is not asked
   * for it again.
   *
   * @param listed the file's status, or null
   */
  public FirstRead first(String path, FileStatus listed, long maxSplitBytes) {
    return first(path, listed, maxSplitBytes, null);
  }

  /**
   * {@link #first(String, FileStatus, long)} of a file whose bytes {@link ReadAhead} may already
   * have read: they are read in place of the file, once; a second attempt reads the file.
   *
   * @param readAhead the file's bytes, closed here; or null to read the file
   */
  public FirstRead first(String path, FileStatus listed, long maxSplitBytes,
      Stores.ReadableFile readAhead) {
    return first(path, listed, InputPaths.NO_LENGTH, maxSplitBytes, readAhead);
  }

  /**
   * {@link #first(String, FileStatus, long, Stores.ReadableFile)} of a local file whose length
   * the listing gave, as it found a regular file: opened without asking for its status again.
   *
   * @param listedLength {@link InputPaths.Listing#lengths}' length of the file, or
   *     {@link InputPaths#NO_LENGTH}
   */
  public FirstRead first(String path, FileStatus listed, long listedLength, long maxSplitBytes,
      Stores.ReadableFile readAhead) {
    // The loop of reading(), written out: this runs once a file, and the two lambdas it would
    // take were made anew for every one.
    long start = System.nanoTime();
    long[] length = {0};
    Stores.ReadableFile bytes = readAhead;
    for (int attempt = 1; ; attempt++) {
      String reason;
      try {
        return read(path, listed, listedLength, maxSplitBytes, start, length, bytes, false);
      } catch (IOException | RuntimeException e) {
        reason = refusal(e, attempt);
      }
      bytes = null; // read ahead once: a second attempt reads the file
      if (reason != null) {
        return new FirstRead(
            FileSummary.error(path, reason, length[0], Clocks.secondsSince(start)), null);
      }
    }
  }

  /**
   * The first read of a file that a listing says is larger than a split, made before any task
   * runs, by whoever plans the tasks: its header read and its length checked as {@link #first}
   * does, with the same reasons, and nothing of its data. The split tasks can then start at once,
   * beside the tasks that read the small files, rather than after them.
   *
   * @return the file's splits, or its error row, or null where its data fits in one split after
   *     all (a long tail past the data) and {@link #first} is to read it
   */
  public FirstRead plan(String path, FileStatus listed, long maxSplitBytes) {
    return plan(path, listed, InputPaths.NO_LENGTH, maxSplitBytes);
  }

  /**
   * {@link #plan(String, FileStatus, long)} of a local file whose length the listing gave.
   *
   * @param listedLength as {@link #first(String, FileStatus, long, long, Stores.ReadableFile)}
   */
  public FirstRead plan(String path, FileStatus listed, long listedLength, long maxSplitBytes) {
    long start = System.nanoTime();
    long[] length = {0};
    return reading(() -> read(path, listed, listedLength, maxSplitBytes, start, length, null,
            true),
        reason -> new FirstRead(
            FileSummary.error(path, reason, length[0], Clocks.secondsSince(start)), null));
  }

  /** Summarises one split of a large file; never throws, the part says what went wrong. */
  public FileSplits.Part apply(FileSplits.Split split) {
    long start = System.nanoTime();
    String path = split.file().path();
    return reading(() -> readSplit(split, start),
        reason -> new FileSplits.Part(path, split.index(), null, reason,
            Clocks.secondsSince(start)));
  }

  /** Something that reads a file and may fail. */
  @FunctionalInterface
  private interface Read<T> {
    T read() throws IOException;
  }

  /** Runs {@code read}, trying it once more after a failure of the store; a refusal is a reason. */
  private static <T> T reading(Read<T> read, Function<String, T> refused) {
    for (int attempt = 1; ; attempt++) {
      String reason;
      try {
        return read.read();
      } catch (IOException | RuntimeException e) {
        reason = refusal(e, attempt);
      }
      if (reason != null) {
        return refused.apply(reason);
      }
    }
  }

  /**
   * Why a read that threw {@code e} at its {@code attempt}th try refuses the file; null where it
   * is to be tried again, a failure of the store rather than of the file.
   */
  private static String refusal(Exception e, int attempt) {
    if (e instanceof NpyFormatException) {
      return e.getMessage();
    }
    if (e instanceof FileNotFoundException) {
      return Stores.IS_DIRECTORY.equals(e.getMessage())
          || Stores.NOT_REGULAR.equals(e.getMessage()) ? e.getMessage() : Stores.NO_SUCH_FILE;
    }
    if (e instanceof IOException) {
      return attempt < READ_ATTEMPTS ? null : "could not be read (" + READ_ATTEMPTS
          + " attempts): " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return "could not be read: " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * @param readAhead the file's bytes read ahead, or null to open it
   * @param headerOnly null instead of reading the data of a file that fits in one split
   */
  private FirstRead read(String path, FileStatus listed, long listedLength, long maxSplitBytes,
      long start, long[] length, Stores.ReadableFile readAhead, boolean headerOnly)
      throws IOException {
    try (Stores.ReadableFile file = readAhead != null ? readAhead
        : open(path, listed, listedLength)) {
      length[0] = file.length();
      NpyHeader header = reader.readHeaderAndStart(file.channel(), file.length());
      FileSplits splits = FileSplits.of(path, file.length(), header, maxSplitBytes,
          Clocks.secondsSince(start));
      if (splits != null) {
        return new FirstRead(null, splits);
      }
      if (headerOnly) {
        return null;
      }
      fileStats.clear();
      reader.readData(file.channel(), header, addToFileStats);
      StreamingStats stats = fileStats;
      if (!stats.sumVouchedFor()) {
        stats = readExactly(path, listed, header.dtype(), header.dataOffset(),
            header.dataLength(), "the file");
      }
      return new FirstRead(FileSummary.ok(path, header.dtype().descr(), header.shapeString(),
          stats, file.length(), Clocks.secondsSince(start)), null);
    }
  }

  /**
   * The data again, into a partial that keeps their exact sum: for the rare file whose values
   * cancel beyond what the compensated sum vouches for (chunks whose sums cancel each other),
   * which costs it a second read and a slower sum so that its mean is still within an ulp or two.
   */
  private StreamingStats readExactly(String path, FileStatus listed, NpyDtype dtype,
      long offset, long length, String what) throws IOException {
    StreamingStats stats = StreamingStats.exact();
    readItems(path, listed, offset, length, dtype, stats, what, "");
    return stats;
  }

  private FileSplits.Part readSplit(FileSplits.Split split, long start) throws IOException {
    FileSplits f = split.file();
    StreamingStats stats = split.exactSums() ? StreamingStats.exact() : new StreamingStats();
    readItems(f.path(), null, split.offset(), split.length(), NpyDtype.parse(f.descr()), stats,
        "split " + split.index() + " of " + f.count(),
        " (it had " + f.fileLength() + " when its header was read)");
    return new FileSplits.Part(f.path(), split.index(), stats, null, Clocks.secondsSince(start));
  }

  /**
   * Reads the items in {@code length} bytes from {@code offset} into {@code stats}; a file that
   * ends before them changed since its header was read, and is refused saying which bytes
   * {@code what} needs.
   */
  private void readItems(String path, FileStatus listed, long offset, long length,
      NpyDtype dtype, StreamingStats stats, String what, String headerLength) throws IOException {
    Path location = new Path(path);
    try (Stores.ReadableFile file =
        Stores.openForRead(location, fileSystemOf(location), offset, listed)) {
      long missing = reader.readItems(file.channel(), dtype, length, stats::add);
      if (missing > 0) {
        throw new NpyFormatException("file changed while it was read: " + what + " needs bytes"
            + " up to " + (offset + length) + ", file has " + file.length() + headerLength);
      }
    }
  }

  /**
   * Opens a whole file. A plain local path, while the file system in use is the local one, is
   * opened without a Hadoop {@code Path}: building one parses the path as a URI, which cost as
   * much as a tenth of a small file's time. Any other path takes Hadoop's way, with its checks.
   */
  private Stores.ReadableFile open(String path, FileStatus listed, long listedLength)
      throws IOException {
    if (fileSystem instanceof RawLocalFileSystem && "file".equals(fileSystemUri.getScheme())
        && fileSystemUri.getAuthority() == null) {
      java.nio.file.Path local = Stores.localFileOf(path);
      if (local != null) {
        return Stores.openLocal(local, 0, listedLength);
      }
    }
    Path location = new Path(path);
    return Stores.openForRead(location, fileSystemOf(location), 0, listed);
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
