package io.npystats.task;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Reads the next files of a task into memory while the task summarises the current one. Read one
 * after another, a file waits for the disk and the disk waits for the core: a cold disk then
 * sees as many reads as there are cores, a fraction of its bandwidth, and an object store one GET
 * at a time. With a few files read ahead by threads of their own, more reads are in flight than
 * there are cores, and the summary of one file overlaps the reading of the next.
 *
 * <p>A local file is read ahead into the page cache only ({@link #intoPageCache}), and the task
 * then reads it from memory as it would any cached file; or, with {@link #DIRECT_IO}, into a
 * buffer here with direct I/O, past the page cache ({@link #readDirect}). A file of any other
 * store (HDFS, S3) is read ahead into a buffer here.
 *
 * <p>A file read ahead is handed to {@link SummarizeFile} as its bytes; a file that was not (over
 * the budget, larger than {@code maxFileBytes}, or whose read failed) is {@code null}, and the task
 * reads it itself as before: a bad file is then refused by the same code, with the same retries and
 * the same reason, as without read-ahead. An {@link Error} in a read is thrown again to the task,
 * where it would have been thrown without read-ahead.
 *
 * <p>Memory is bounded twice: at most {@code filesAhead} files per task, and at most
 * {@link #BUDGET_BYTES} of buffers in the whole JVM, however many tasks run in it; a file that
 * would go over the budget is simply not read ahead. Buffers are direct, so that a file channel
 * reads into them without a copy, and reused from file to file, and from task to task
 * ({@link Pool}).
 *
 * <p>Files must be taken in order, by one thread. {@link #close} stops the threads.
 */
public final class ReadAhead implements AutoCloseable {
  /**
   * The Hadoop setting for how many files each task reads ahead
   * ({@code --conf spark.hadoop.npystats.stats.read-ahead=8}); 0 reads each file only when the task
   * comes to it.
   */
  public static final String FILES = "npystats.stats.read-ahead";
  /**
   * Eight files a task: enough reads in flight to keep a disk busy while the cores summarise,
   * where sixteen were not faster (docs/performance.md#reading-ahead has the figures); and for a
   * store other than the local disk, eight files' buffers for each task stay small beside a 512 MB
   * driver.
   */
  public static final int DEFAULT_FILES = 8;
  /**
   * The Hadoop setting for whether a local file not in the page cache is read ahead with direct
   * I/O into a buffer here ({@code --conf spark.hadoop.npystats.stats.direct-io=true}) rather
   * than into the page cache; unset, the driver decides by the data set's size
   * ({@link DirectIo#byDefault}).
   */
  public static final String DIRECT_IO = "npystats.stats.direct-io";
  /**
   * A task whose first eight local files are mostly in the page cache reads nothing ahead: the rest
   * of a folder read as a whole is then most likely there too, and reading a cached file ahead
   * only adds a thread's hand-over and three system calls to each file, which doubled the time of
   * a warm run on many small files (docs/performance.md#reading-ahead). The task's own thread
   * asks, before any reading thread starts: asked by the reading threads, with eight of them
   * started and waited for in every task, the question cost a warm run a tenth of its time.
   */
  static final int PROBE_FILES = 8;
  /**
   * The most bytes of buffers all the tasks of a JVM hold: an eighth of the heap, at most 256 MiB.
   * Direct memory is limited to the heap's size by default, and Spark's shuffle uses it too.
   */
  static final long BUDGET_BYTES = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
  private static final Pool POOL = new Pool(BUDGET_BYTES);
  /** Buffers grow in steps of this, so that files of about one size share them. */
  private static final int GRAIN = 64 * 1024;
  private static final long STOP_WAIT_SECONDS = 10;
  /**
   * Direct reads into buffers aligned to this: a multiple of every block size in common use, and
   * the page size, so the buffer, the offsets and the lengths of the reads all fit.
   */
  private static final int ALIGNMENT = 4096;
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final java.nio.file.Path DEV_NULL = java.nio.file.Path.of("/dev/null");

  /** A file's bytes, or the error its read threw; null fields where it was not read ahead. */
  private record Read(ByteBuffer bytes, long length, Error error) {
    static final Read NOT_AHEAD = new Read(null, -1, null);
  }

  private final Configuration conf;
  private final List<String> paths;
  private final FileStatus[] statuses;
  private final long[] lengths;
  private final int filesAhead;
  private final long maxSplitBytes;
  /** The largest file read into a buffer here. */
  private final long maxFileBytes;
  private final Pool pool;
  private final ExecutorService threads;
  private final List<Future<Read>> reads;
  private final Map<String, FileSystem> fileSystems = new ConcurrentHashMap<>();
  private final boolean intoPageCache;
  private final boolean directReads;
  /** Set where {@link #directReads} and the first files show the task's files are not cached. */
  private volatile boolean readDirect;
  private volatile boolean directRefused;
  private final AtomicInteger filesIntoPageCache = new AtomicInteger();
  /** How many of the first files say whether the page cache already holds the task's files. */
  private final int probeFiles;
  /** Set where most of the first files were in the page cache: nothing is read ahead. */
  private boolean cacheWarm;
  // Guarded by this: buffers free for the next read, each holding its bytes of the budget.
  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private int buffersOut;
  private int mostBuffersOut;
  private int next;
  private boolean closed;

  /**
   * @param statuses each path's status from the listing, or null
   * @param lengths each local path's length from the listing ({@link InputPaths.Listing#lengths}),
   *     or null: a file the listing found regular is read ahead without a {@code stat} of its own
   * @param filesAhead how many files to read ahead, and with how many threads
   * @param maxFileBytes a larger file is left to the task: one larger than a split has only its
   *     header read by the task; into a buffer, a file is read ahead only where it takes no more
   *     than its share of the budget
   * @param threadStart run first on each reading thread: what the caller's reads need of the
   *     thread the task runs on
   */
  public ReadAhead(Configuration conf, List<String> paths, FileStatus[] statuses, long[] lengths,
      int filesAhead, long maxFileBytes, Runnable threadStart) {
    this(conf, paths, statuses, lengths, filesAhead, maxFileBytes, threadStart, POOL,
        Files.isWritable(DEV_NULL), PROBE_FILES);
  }

  /**
   * @param pool the budget and the buffers kept for the next instances, shared with them
   * @param intoPageCache whether a local file is read into the page cache rather than into a
   *     buffer here
   * @param probeFiles how many of the first local files, all found in the page cache, stop the
   *     reading ahead; 0 never stops it
   */
  ReadAhead(Configuration conf, List<String> paths, FileStatus[] statuses, long[] lengths,
      int filesAhead, long maxFileBytes, Runnable threadStart, Pool pool, boolean intoPageCache,
      int probeFiles) {
    if (filesAhead < 1) {
      throw new IllegalArgumentException("files ahead must be at least 1: " + filesAhead);
    }
    this.conf = conf;
    this.paths = paths;
    this.statuses = statuses;
    this.lengths = lengths;
    this.filesAhead = filesAhead;
    this.maxSplitBytes = maxFileBytes;
    // A file larger than its share of the budget would keep the next files from being read ahead.
    this.maxFileBytes = Math.min(maxFileBytes, pool.budgetBytes / filesAhead);
    this.pool = pool;
    this.intoPageCache = intoPageCache;
    this.directReads = conf.getBoolean(DIRECT_IO, false);
    this.probeFiles = probeFiles;
    this.reads = new ArrayList<>(paths.size());
    this.threads = Executors.newFixedThreadPool(filesAhead, r -> {
      Thread thread = new Thread(() -> {
        threadStart.run();
        r.run();
      }, "npystats-read-ahead-" + THREADS.incrementAndGet());
      // A task that dies without closing this must not keep its executor's JVM alive.
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * The file at {@code index}, read into memory, or null where the caller is to read it itself.
   * The caller closes it, which gives its buffer back. Files are taken in the order of the list.
   */
  public Stores.ReadableFile take(int index) {
    if (index != next) {
      throw new IllegalStateException("file " + index + " taken where " + next + " was next");
    }
    next++;
    if (index == 0) {
      int probes = Math.min(probeFiles, paths.size());
      int resident = intoPageCache && probes > 0 ? firstFilesResident(probes) : 0;
      cacheWarm = 2 * resident > probes;
      // Past the page cache only where the task's files are cold: a folder partly cached is read
      // ahead into the cache, where its cached files cost no disk read.
      readDirect = directReads && resident <= probes / 8;
    }
    while (!cacheWarm && reads.size() < Math.min(paths.size(), index + 1 + filesAhead)) {
      int i = reads.size();
      reads.add(threads.submit(() -> read(i)));
    }
    if (index >= reads.size()) {
      return null; // the page cache holds the files: the task reads them as it would
    }
    Read read;
    try {
      read = reads.get(index).get();
    } catch (InterruptedException e) {
      // The task is being killed: it reads the file itself and ends as it would have.
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return null;
    } finally {
      reads.set(index, null);
    }
    if (read.error() != null) {
      throw read.error();
    }
    if (read.bytes() == null) {
      return null;
    }
    return new Stores.ReadableFile(new BytesChannel(read.bytes()), read.length());
  }

  /** How many buffers are held now, handed out, filled or being filled. */
  synchronized int buffersOut() {
    return buffersOut;
  }

  /** The most buffers held at once, handed out, filled or being filled. */
  synchronized int mostBuffersOut() {
    return mostBuffersOut;
  }

  /** Runs on a reading thread. */
  private Read read(int index) {
    ByteBuffer buffer = null;
    try {
      Path path = new Path(paths.get(index));
      FileStatus listed = statuses == null ? null : statuses[index];
      if (listed != null && listed.getLen() > maxSplitBytes) {
        return Read.NOT_AHEAD;
      }
      FileSystem fs = fileSystemOf(path);
      if (intoPageCache && fs instanceof RawLocalFileSystem raw) {
        java.nio.file.Path file = raw.pathToFile(path).toPath();
        long listedLength = lengths == null ? InputPaths.NO_LENGTH : lengths[index];
        if (readDirect && !directRefused) {
          Read read = readDirect(file, listedLength);
          if (read != null) {
            return read;
          }
        }
        intoPageCache(file, listedLength);
        return Read.NOT_AHEAD;
      }
      if (listed != null && listed.getLen() > maxFileBytes) {
        return Read.NOT_AHEAD;
      }
      try (Stores.ReadableFile file = Stores.openForRead(path, fs, 0, listed)) {
        if (file.length() > maxFileBytes || (buffer = buffer((int) file.length())) == null) {
          return Read.NOT_AHEAD;
        }
        while (buffer.hasRemaining() && file.channel().read(buffer) >= 0) {
          // read until the buffer is full or the file ends: a short file ends as it would
        }
        buffer.flip();
        Read read = new Read(buffer, file.length(), null);
        buffer = null;
        return read;
      }
    } catch (IOException | RuntimeException e) {
      return Read.NOT_AHEAD;
    } catch (Error e) {
      return new Read(null, -1, e);
    } finally {
      if (buffer != null) {
        giveBack(buffer);
      }
    }
  }

  /**
   * Reads a local file whole into a buffer with direct I/O, past the page cache; null where it
   * is to be read otherwise (too large, not a regular file, shorter than it said, or direct I/O
   * refused, after which no file is read this way). A cold data set larger than the page cache
   * can keep is read without filling the cache with pages it evicts again, which on a VM are
   * often found free by the host first: 10,000 files of 800 KB were read in 4.0 to 4.8 s this way
   * and 7.5 to 10.4 s into the page cache (docs/performance.md#reading-ahead). The task then reads
   * the bytes from the buffer, as those of a file on another store.
   *
   * @param listedLength the listing's length of the file, which it found regular; or
   *     {@link InputPaths#NO_LENGTH} to ask the file
   */
  private Read readDirect(java.nio.file.Path file, long listedLength) throws IOException {
    if (listedLength < 0 && !Files.isRegularFile(file)) {
      return null;
    }
    ByteBuffer buffer = null;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ,
        com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
      long size = listedLength >= 0 ? listedLength : in.size();
      if (size > maxFileBytes) {
        return null;
      }
      long whole = (size + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
      if ((buffer = buffer((int) whole)) == null) {
        return null;
      }
      // Whole blocks at block offsets: the read that meets the end returns short, and ends it.
      while (buffer.hasRemaining()) {
        int n = in.read(buffer);
        if (n <= 0 || buffer.position() % ALIGNMENT != 0) {
          break;
        }
      }
      if (buffer.position() != size) {
        return null;
      }
      buffer.flip();
      Read read = new Read(buffer, size, null);
      buffer = null;
      return read;
    } catch (NoSuchFileException e) {
      return null; // gone since the listing: the task says so
    } catch (IOException | UnsupportedOperationException e) {
      directRefused = true;
      return null;
    } finally {
      if (buffer != null) {
        giveBack(buffer);
      }
    }
  }

  /**
   * Reads a local file into the page cache and no further: sent to {@code /dev/null} by the
   * kernel, never copied into this process. The task then reads it from memory through its own
   * small buffer, which stays in the core's cache; holding the bytes here instead would copy
   * every file twice more through main memory, which made a warm run slower (docs/performance.md).
   *
   * @param listedLength as {@link #readDirect}'s
   */
  private void intoPageCache(java.nio.file.Path file, long listedLength) throws IOException {
    if (listedLength < 0 && !Files.isRegularFile(file)) {
      return; // the task says why; a pipe would never end
    }
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel sink = FileChannel.open(DEV_NULL, StandardOpenOption.WRITE)) {
      long size = listedLength >= 0 ? listedLength : in.size();
      if (size > maxSplitBytes) {
        return; // the task reads its header only
      }
      for (long at = 0; at < size; ) {
        long sent = in.transferTo(at, size - at, sink);
        if (sent <= 0) {
          break;
        }
        at += sent;
      }
    }
    filesIntoPageCache.incrementAndGet();
  }

  /**
   * How many of the first {@code probes} files are local files no larger than a split whose every
   * page is in the page cache ({@code mincore}, through {@link
   * java.nio.MappedByteBuffer#isLoaded}), asked without reading any of them; 0 where any of them
   * is on another store. Most of them, not all, make a task warm: the kernel reclaims a page here
   * and there from files read a while ago, and one such page among eight files made a warm task
   * read ahead. A folder whose cache was dropped has none of them.
   */
  private int firstFilesResident(int probes) {
    int resident = 0;
    try {
      for (int i = 0; i < probes; i++) {
        Path path = new Path(paths.get(i));
        if (!(fileSystemOf(path) instanceof RawLocalFileSystem raw)) {
          return 0;
        }
        java.nio.file.Path file = raw.pathToFile(path).toPath();
        if (!Files.isRegularFile(file)) {
          continue; // the reading threads leave it to the task, which says why
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
          long size = in.size();
          if (size <= maxSplitBytes
              && (size == 0 || in.map(FileChannel.MapMode.READ_ONLY, 0, size).isLoaded())) {
            resident++;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0; // the reading threads and the task meet the same failure, and say what it is
    }
    return resident;
  }

  /** How many reads were started, whether they read anything or not. */
  synchronized int readsStarted() {
    return reads.size();
  }

  /** How many local files were read into the page cache. */
  int filesIntoPageCache() {
    return filesIntoPageCache.get();
  }

  private FileSystem fileSystemOf(Path path) throws IOException {
    URI uri = path.toUri();
    String key = uri.getScheme() + "://" + uri.getAuthority();
    FileSystem fs = fileSystems.get(key);
    if (fs == null) {
      fs = Stores.of(path, conf);
      fileSystems.put(key, fs);
    }
    return fs;
  }

  /** A buffer of {@code length} bytes, or null where the budget has no room for one. */
  private synchronized ByteBuffer buffer(int length) {
    if (closed) {
      return null;
    }
    ByteBuffer found = null;
    // By identity: a buffer's equals compares its bytes.
    for (Iterator<ByteBuffer> it = free.iterator(); it.hasNext(); ) {
      ByteBuffer b = it.next();
      if (b.capacity() >= length) {
        found = b;
        it.remove();
        break;
      }
    }
    if (found == null) {
      found = pool.take(length);
    }
    if (found == null) {
      // Whole grains, at least one: whole blocks too, so the aligned buffer holds exactly the
      // bytes taken from the budget, and an empty file's buffer gives back what it took.
      int capacity = (int) Math.max(GRAIN,
          Math.min(Integer.MAX_VALUE / GRAIN * GRAIN, (length + GRAIN - 1L) / GRAIN * GRAIN));
      // Smaller free buffers go first: they would never fit this file and hold budget; then
      // those kept from earlier instances.
      boolean granted = pool.budget.tryAcquire(capacity);
      while (!granted && !free.isEmpty()) {
        release(free.poll());
        granted = pool.budget.tryAcquire(capacity);
      }
      while (!granted && pool.dropOne()) {
        granted = pool.budget.tryAcquire(capacity);
      }
      if (!granted) {
        return null;
      }
      try {
        found = DirectFileOutputStream.buffer(capacity, ALIGNMENT);
      } catch (OutOfMemoryError e) {
        pool.budget.release(capacity);
        return null;
      }
    }
    buffersOut++;
    mostBuffersOut = Math.max(mostBuffersOut, buffersOut);
    return found.clear().limit(length);
  }

  private synchronized void giveBack(ByteBuffer buffer) {
    buffersOut--;
    if (closed) {
      pool.keep(buffer);
    } else {
      free.push(buffer);
    }
  }

  private void release(ByteBuffer buffer) {
    pool.budget.release(buffer.capacity());
  }

  /**
   * The budget of a JVM's buffers, and the buffers its instances no longer use, kept for the next
   * ones. A task's files read ahead into buffers of its own, made anew in every task, cost the
   * process fresh memory for each task: on this kind of VM each page of it is a fault, and a cold
   * run of 10,000 files of 800 KB in eight tasks made some 10,000 page faults more than in two,
   * and took 1.83 to 1.99 s against 1.62 to 1.81 s (docs/performance.md, "Reading ahead"). Kept,
   * they are filled again by the next task's reads. A kept buffer still holds its bytes of the
   * budget, so the JVM's buffers stay within it; one is dropped when a read needs the room. Kept
   * buffers stay for the JVM's life: an executor that has read a cold data set holds up to the
   * budget of direct memory afterwards, as it did while it read.
   */
  static final class Pool {
    final long budgetBytes;
    final Semaphore budget;
    // Guarded by this.
    private final ArrayDeque<ByteBuffer> kept = new ArrayDeque<>();
    private long keptBytes;

    Pool(long budgetBytes) {
      this.budgetBytes = budgetBytes;
      this.budget = new Semaphore((int) Math.min(Integer.MAX_VALUE, budgetBytes));
    }

    /**
     * The smallest kept buffer of at least {@code length} bytes, with its budget; null where none
     * is. The smallest, so that a small file leaves a larger buffer to a larger one.
     */
    synchronized ByteBuffer take(int length) {
      ByteBuffer best = null;
      for (ByteBuffer b : kept) {
        if (b.capacity() >= length && (best == null || b.capacity() < best.capacity())) {
          best = b;
        }
      }
      if (best != null) {
        remove(best);
      }
      return best;
    }

    synchronized void keep(ByteBuffer buffer) {
      kept.push(buffer);
      keptBytes += buffer.capacity();
    }

    /** Drops the smallest kept buffer, giving its bytes back to the budget; false where none is. */
    synchronized boolean dropOne() {
      ByteBuffer smallest = take(0);
      if (smallest == null) {
        return false;
      }
      budget.release(smallest.capacity());
      return true;
    }

    private void remove(ByteBuffer buffer) {
      // By identity: a buffer's equals compares its bytes.
      for (Iterator<ByteBuffer> it = kept.iterator(); it.hasNext(); ) {
        if (it.next() == buffer) {
          it.remove();
          keptBytes -= buffer.capacity();
          return;
        }
      }
    }

    /** The bytes of the budget that instances hold now: neither free nor kept. */
    synchronized long bytesOut() {
      return budgetBytes - budget.availablePermits() - keptBytes;
    }

    synchronized long keptBytes() {
      return keptBytes;
    }
  }

  /**
   * Stops the reading threads, waiting for reads under way, and keeps the buffers for the next
   * instance ({@link Pool}). A file not yet taken is never read.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      for (Future<Read> read : reads) {
        if (read != null && read.isDone() && !read.isCancelled()) {
          try {
            Read done = read.get();
            if (done.bytes() != null) {
              buffersOut--;
              pool.keep(done.bytes());
            }
          } catch (InterruptedException | ExecutionException e) {
            // nothing was held
          }
        }
      }
      while (!free.isEmpty()) {
        pool.keep(free.poll());
      }
    }
  }

  /** Whether every reading thread has ended. */
  boolean stopped() {
    return threads.isTerminated();
  }

  /** The bytes of one file read ahead; closing it gives the buffer back to be filled again. */
  private final class BytesChannel implements ReadableByteChannel {
    private ByteBuffer bytes;

    BytesChannel(ByteBuffer bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (bytes == null) {
        throw new java.nio.channels.ClosedChannelException();
      }
      if (!bytes.hasRemaining()) {
        return -1;
      }
      int n = Math.min(dst.remaining(), bytes.remaining());
      dst.put(dst.position(), bytes, bytes.position(), n);
      dst.position(dst.position() + n);
      bytes.position(bytes.position() + n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return bytes != null;
    }

    @Override
    public void close() {
      if (bytes != null) {
        giveBack(bytes);
        bytes = null;
      }
    }
  }
}
