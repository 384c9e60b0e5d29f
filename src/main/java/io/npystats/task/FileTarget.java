package io.npystats.task;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The folder generated files are written into: the few operations an atomic, resumable write
 * needs. A local folder is written with {@code java.nio} directly: Hadoop's local file system
 * sets permissions on every file it creates by starting a {@code chmod} process where its native
 * library is missing (as it is with the Maven jars), which costs more than writing the file.
 * Local files go through the page cache, as {@code np.save} writes them, or with direct I/O where
 * {@link GenerateFile#DIRECT_IO} asks for it and the file system allows it
 * ({@link DirectFileOutputStream}). Every other store goes through its
 * Hadoop {@link FileSystem}.
 */
abstract class FileTarget {
  /** The target for {@code dir} on whichever store holds it. */
  static FileTarget of(Path dir, Configuration conf) throws IOException {
    return of(dir, conf, false);
  }

  /**
   * The target for {@code dir}; with {@code writeBehind}, direct writes to a local folder finish
   * on threads of their own while the caller makes the next files, as many under way as
   * {@link GenerateFile#WRITES_BEHIND} allows, and the caller must call {@link #finish} once it
   * has committed its last file.
   */
  static FileTarget of(Path dir, Configuration conf, boolean writeBehind) throws IOException {
    FileSystem fs = Stores.of(dir, conf);
    if (fs instanceof RawLocalFileSystem raw) {
      java.nio.file.Path local = raw.pathToFile(dir).toPath();
      Files.createDirectories(local);
      return new Local(dir, local, conf.getBoolean(GenerateFile.DIRECT_IO, false),
          writeBehind ? GenerateFile.writesBehind(conf) : 0);
    }
    return new Hadoop(dir, fs);
  }

  /** The folder as the tables show it, with a trailing slash: one Path per folder, not per file. */
  private final String prefix;

  private FileTarget(Path dir) {
    this.prefix = Stores.folderPrefix(dir);
  }

  /** The path of {@code name} (a plain file name) in the folder, as the tables show it. */
  final String pathOf(String name) {
    return prefix + name;
  }

  /**
   * Whether a file is best written under a temporary name and renamed into place
   * ({@link Stores#renamesAreAtomic}); where not, {@link #createInPlace} writes it under its name.
   */
  boolean renamesAreAtomic() {
    return true;
  }

  /**
   * Creates {@code name} on a store that shows an object only once its upload completes. The
   * channel's close publishes it; {@link InPlace#abandon} drops it instead, so a failed write
   * publishes nothing.
   */
  InPlace createInPlace(String name) throws IOException {
    throw new UnsupportedOperationException("files are renamed into place here");
  }

  /**
   * Closes {@code out}, the channel {@link #create} gave for {@code temp}, and renames {@code temp}
   * to {@code target}. Done by the time it returns, except where the target writes behind
   * ({@link #of} with {@code writeBehind}): there it may still be under way until the next
   * commit or {@link #finish}, and a failure surfaces there as a {@link DeferredWriteFailure}.
   */
  void commit(WritableByteChannel out, String temp, String target) throws IOException {
    out.close();
    replace(temp, target);
  }

  /** Waits for the commit still under way, if any, and lets go of the thread that runs it. */
  void finish() throws IOException {}

  /** A file committed earlier could not be written; the message names that file and why. */
  static final class DeferredWriteFailure extends IOException {
    private static final long serialVersionUID = 1L;

    DeferredWriteFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A file being written under its own name, as {@link #createInPlace} makes it. */
  interface InPlace extends WritableByteChannel {
    /** Gives up the write: the store keeps whatever the name held before. */
    void abandon() throws IOException;
  }

  /** The length of the regular file {@code name}, or -1 where there is none. */
  abstract long length(String name) throws IOException;

  abstract WritableByteChannel create(String name) throws IOException;

  abstract ReadableByteChannel open(String name) throws IOException;

  /** Renames {@code temp} to {@code target}, replacing whatever {@code target} held. */
  abstract void replace(String temp, String target) throws IOException;

  /** Deletes {@code name} if it is there. */
  abstract void delete(String name) throws IOException;

  private static final class Local extends FileTarget {
    /** Holds a whole generated file of 100,000 samples, so that it takes one write. */
    private static final int DIRECT_BUFFER_BYTES = 1 << 20;

    private final java.nio.file.Path dir;
    private final File dirFile;
    private boolean direct;
    /** How many files' writes may be under way behind the caller; 0 where it waits for each. */
    private final int writesBehind;
    private int block;
    /**
     * One buffer a write under way, and the one the caller fills; used in turn, so the next one
     * is that of the oldest write, which is done by the time it is needed.
     */
    private final ByteBuffer[] buffers;
    private int nextBuffer;
    /**
     * Writing behind: a direct write returns only once the disk has the bytes, and a file of
     * 800 KB takes one write, so a thread that wrote and then drew its next file left the disk
     * idle half the time, with one write in flight a thread. Written from a thread of its own
     * while the next file is drawn, 10,000 such files took about half the time; with up to four
     * under way a task rather than one, a fifth less again (docs/performance.md, "Writing the
     * files").
     */
    private ExecutorService writers;
    /** The writes under way, oldest first. */
    private final ArrayDeque<Future<?>> underWay = new ArrayDeque<>();

    Local(Path hadoopDir, java.nio.file.Path dir, boolean direct, int writesBehind) {
      super(hadoopDir);
      this.dir = dir;
      this.dirFile = dir.toFile();
      this.direct = direct;
      this.writesBehind = writesBehind;
      this.buffers = new ByteBuffer[writesBehind + 1];
    }

    @Override
    long length(String name) {
      // java.io.File answers a missing file with false, where java.nio throws: in a new folder
      // every file is missing, and filling in each exception's stack trace, deep under Spark's
      // task, was a real share of generate's CPU time. A file it cannot see is written again, and
      // any real trouble with the folder then surfaces from that write.
      File file = new File(dirFile, name);
      return file.isFile() ? file.length() : -1;
    }

    @Override
    WritableByteChannel create(String name) throws IOException {
      if (direct) {
        try {
          if (block == 0) {
            block = DirectFileOutputStream.blockSize(dir);
          }
          // A buffer no write under way is writing from (commit waits for the oldest).
          if (buffers[nextBuffer] == null) {
            buffers[nextBuffer] = DirectFileOutputStream.buffer(DIRECT_BUFFER_BYTES, block);
          }
          return DirectFileOutputStream.create(dir.resolve(name), buffers[nextBuffer], block);
        } catch (IOException | UnsupportedOperationException e) {
          // The file system takes no direct I/O (tmpfs, for one), so every file goes through the
          // page cache. A failure with another cause happens again just below, and is reported.
          direct = false;
        }
      }
      return FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    ReadableByteChannel open(String name) throws IOException {
      return FileChannel.open(dir.resolve(name), StandardOpenOption.READ);
    }

    @Override
    void commit(WritableByteChannel out, String temp, String target) throws IOException {
      if (!(writesBehind > 0 && out instanceof DirectFileOutputStream)) {
        super.commit(out, temp, target);
        return;
      }
      if (underWay.size() == writesBehind) {
        awaitOldest();
      }
      if (writers == null) {
        writers = Executors.newFixedThreadPool(writesBehind, runnable -> {
          Thread thread = new Thread(runnable, "npystats-write-behind");
          thread.setDaemon(true);
          return thread;
        });
      }
      nextBuffer = (nextBuffer + 1) % buffers.length;
      underWay.add(writers.submit(() -> {
        try {
          super.commit(out, temp, target);
        } catch (IOException | RuntimeException e) {
          try {
            delete(temp);
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw new DeferredWriteFailure(
              "could not write " + pathOf(target) + ": " + e.getMessage(), e);
        }
        return null;
      }));
    }

    /**
     * Waits for every write under way, and lets go of the threads; the first failure among them
     * is thrown once all are done, the others added to it.
     */
    @Override
    void finish() throws IOException {
      IOException failed = null;
      try {
        while (!underWay.isEmpty()) {
          try {
            awaitOldest();
          } catch (InterruptedIOException e) {
            underWay.forEach(write -> write.cancel(true));
            underWay.clear();
            throw e;
          } catch (IOException e) {
            if (failed == null) {
              failed = e;
            } else {
              failed.addSuppressed(e);
            }
          }
        }
      } finally {
        if (writers != null) {
          writers.shutdown();
          writers = null;
        }
      }
      if (failed != null) {
        throw failed;
      }
    }

    private void awaitOldest() throws IOException {
      Future<?> oldest = underWay.poll();
      try {
        oldest.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for a file to be written");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException(e.getCause());
      }
    }

    @Override
    void replace(String temp, String target) throws IOException {
      Files.move(dir.resolve(temp), dir.resolve(target), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    void delete(String name) throws IOException {
      Files.deleteIfExists(dir.resolve(name));
    }
  }

  private static final class Hadoop extends FileTarget {
    private final Path dir;
    private final FileSystem fs;
    private final boolean renamesAreAtomic;

    Hadoop(Path dir, FileSystem fs) {
      super(dir);
      this.dir = dir;
      this.fs = fs;
      this.renamesAreAtomic = Stores.renamesAreAtomic(fs);
    }

    @Override
    boolean renamesAreAtomic() {
      return renamesAreAtomic;
    }

    @Override
    InPlace createInPlace(String name) throws IOException {
      FSDataOutputStream stream = fs.create(new Path(dir, name), true);
      WritableByteChannel channel = Channels.newChannel(stream);
      return new InPlace() {
        @Override
        public int write(ByteBuffer src) throws IOException {
          return channel.write(src);
        }

        @Override
        public boolean isOpen() {
          return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
          channel.close();
        }

        @Override
        public void abandon() throws IOException {
          // S3A's stream drops its upload; a stream that cannot (none of the stores written in
          // place here) closes, and a re-run rewrites the short file it leaves.
          if (stream.hasCapability(CommonPathCapabilities.ABORTABLE_STREAM)) {
            stream.abort();
          } else {
            stream.close();
          }
        }
      };
    }

    @Override
    long length(String name) throws IOException {
      try {
        FileStatus status = fs.getFileStatus(new Path(dir, name));
        return status.isFile() ? status.getLen() : -1;
      } catch (java.io.FileNotFoundException e) {
        return -1;
      }
    }

    @Override
    WritableByteChannel create(String name) throws IOException {
      return Channels.newChannel(fs.create(new Path(dir, name), true));
    }

    @Override
    ReadableByteChannel open(String name) throws IOException {
      return Channels.newChannel(fs.open(new Path(dir, name)));
    }

    @Override
    void replace(String temp, String target) throws IOException {
      Path from = new Path(dir, temp);
      Path to = new Path(dir, target);
      // HDFS and object stores will not rename onto an existing file.
      if (!fs.rename(from, to)) {
        fs.delete(to, false);
        if (!fs.rename(from, to)) {
          throw new IOException("could not rename " + from + " to " + to);
        }
      }
    }

    @Override
    void delete(String name) throws IOException {
      fs.delete(new Path(dir, name), false);
    }
  }
}
