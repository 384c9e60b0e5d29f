package io.npystats.task;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.functional.FutureIO;

/** Opens the Hadoop {@link FileSystem} of a path: file://, hdfs://, s3a:// alike. */
public final class Stores {
  /** The message of the {@link FileNotFoundException} for a directory where a file was wanted. */
  public static final String IS_DIRECTORY = "is a directory, not a .npy file";
  /** The message for a path with nothing behind it, a dangling link included. */
  public static final String NO_SUCH_FILE = "no such file";
  /** The message for a named pipe, socket or device. */
  public static final String NOT_REGULAR = "is not a regular file (a pipe, socket or device)";

  /**
   * Hadoop's option naming how a file opened with {@code openFile} will be read. A whole file is
   * read from start to end: S3A then asks for it with one GET, not range by range.
   */
  static final String READ_POLICY = "fs.option.openfile.read.policy";
  /** File systems whose rename is atomic and cheap: a local disk and HDFS, with its views. */
  private static final Set<String> ATOMIC_RENAME_SCHEMES =
      Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs");
  /**
   * The options of a local file opened for reading, as one set: {@code FileChannel.open} with an
   * array of them builds a new set for every file.
   */
  private static final Set<StandardOpenOption> READ_ONLY = Set.of(StandardOpenOption.READ);

  private Stores() {}

  /** A file open for reading, with the length the store reports for it. */
  public record ReadableFile(ReadableByteChannel channel, long length) implements Closeable {
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

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

  /**
   * The local file or folder {@code path} names where {@code fs} is the local file system, with
   * checksums or without; null on any other store. For writers that create local files and
   * folders with {@code java.nio}: Hadoop's local file system sets the permission of each with a
   * {@code chmod} process where its native library is missing (as it is with the Maven jars).
   */
  public static java.nio.file.Path localPathOf(FileSystem fs, Path path) {
    if (fs instanceof LocalFileSystem local) {
      return local.pathToFile(path).toPath();
    }
    if (fs instanceof RawLocalFileSystem raw) {
      return raw.pathToFile(path).toPath();
    }
    return null;
  }

  /**
   * Whether a rename on {@code fs} is atomic and cheap, so that a file can be written under a
   * temporary name and renamed into place. Not on an object store (S3, GCS, Azure blobs): there a
   * rename copies every byte, while an object appears only once its upload completes, so writing
   * it under its final name is what keeps a half-written file out of sight.
   */
  public static boolean renamesAreAtomic(FileSystem fs) {
    return fs instanceof RawLocalFileSystem || ATOMIC_RENAME_SCHEMES.contains(fs.getScheme());
  }

  /**
   * The folder {@code dir} as a prefix for its files' paths, ending in one {@code /}: a plain file
   * name appended to it gives the path Hadoop's {@code Path} would, without building one per file.
   */
  static String folderPrefix(Path dir) {
    String folder = dir.toString();
    return folder.endsWith("/") ? folder : folder + "/";
  }

  /**
   * The fully qualified form of a path the user gave, resolved on the driver: executors on a
   * cluster run in working folders of their own, where a relative path means something else.
   */
  public static String qualify(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    return of(p, conf).makeQualified(p).toString();
  }

  /**
   * Opens a file for a sequential read. A local file is opened as a {@link FileChannel} on the
   * path Hadoop resolves it to: one system call instead of Hadoop's several, and reads that go
   * straight into the reader's buffer; that is a large share of the time for a file of a megabyte
   * in the page cache. Any other store is read through its own {@code FileSystem.open}.
   *
   * @throws FileNotFoundException if there is no such file, or it is not a regular file; the
   *     message is one of {@link #NO_SUCH_FILE}, {@link #IS_DIRECTORY}, {@link #NOT_REGULAR}
   */
  public static ReadableFile openForRead(Path path, Configuration conf) throws IOException {
    return openForRead(path, of(path, conf));
  }

  /** {@link #openForRead(Path, Configuration)} on the file system {@link #of} gave for the path. */
  public static ReadableFile openForRead(Path path, FileSystem fs) throws IOException {
    return openForRead(path, fs, 0);
  }

  /**
   * {@link #openForRead(Path, FileSystem)} with the channel at byte {@code offset}: one split of a
   * large file. The length is still the whole file's.
   */
  public static ReadableFile openForRead(Path path, FileSystem fs, long offset) throws IOException {
    return openForRead(path, fs, offset, null);
  }

  /**
   * {@link #openForRead(Path, FileSystem, long)} of a file whose status a listing gave: a store
   * other than the local disk is then not asked for it, and S3 answers the file with one GET and
   * no HEAD. Its length alone would not do: S3A's analytics stream asks for the object's version
   * (its ETag) with a HEAD of its own unless the status carries it. A file gone since the listing
   * fails with a {@link FileNotFoundException} on its first read, as where it is opened.
   *
   * @param listed the file's status from a listing, or null to ask the store
   */
  public static ReadableFile openForRead(Path path, FileSystem fs, long offset, FileStatus listed)
      throws IOException {
    if (fs instanceof RawLocalFileSystem raw) {
      return openLocal(raw.pathToFile(path).toPath(), offset);
    }
    FileStatus status = listed != null ? listed : fs.getFileStatus(path);
    if (status.isDirectory()) {
      throw new FileNotFoundException(IS_DIRECTORY);
    }
    // Opened with the status: S3A's plain open would ask the store for it again, a HEAD request
    // for every file before its GET.
    FSDataInputStream in = FutureIO.awaitFuture(
        fs.openFile(path).withFileStatus(status).opt(READ_POLICY, "whole-file").build());
    if (offset > 0) {
      in.seek(offset);
    }
    return new ReadableFile(Channels.newChannel(in), status.getLen());
  }

  /**
   * The local file a qualified {@code file:} path names, or null where telling it needs Hadoop's
   * {@code Path}. A path that a listing or {@link #qualify} wrote out is already in the form
   * {@code Path} would make of it (no authority, no empty, {@code .} or {@code ..} segment, no
   * trailing {@code /}), and {@code Path} would decode back to the same characters, so the file
   * is the text after {@code file:}; any other path, a hidden name among them, is left to
   * {@code Path}. Parsing a URI for every file cost a tenth of the time of a small one.
   */
  public static java.nio.file.Path localFileOf(String qualified) {
    if (!qualified.startsWith("file:/") || qualified.startsWith("file://")
        || qualified.endsWith("/") || qualified.contains("/.") || qualified.contains("//")) {
      return null;
    }
    return java.nio.file.Path.of(qualified.substring("file:".length()));
  }

  /**
   * {@link #openForRead(Path, FileSystem, long, FileStatus)} of a file on the local disk, named
   * by its local path.
   */
  public static ReadableFile openLocal(java.nio.file.Path local, long offset) throws IOException {
    return openLocal(local, offset, InputPaths.NO_LENGTH);
  }

  /**
   * {@link #openLocal(java.nio.file.Path, long)} of a file the listing found regular, of
   * {@code listedLength} bytes: opened at once, without a {@code stat} of its own, as a store's
   * file is opened with its listed status. Only a file that became a pipe since the listing would
   * then block the open; a file gone since is refused as before.
   *
   * @param listedLength {@link InputPaths.Listing#lengths}' length, or
   *     {@link InputPaths#NO_LENGTH} to {@code stat} the file first
   */
  public static ReadableFile openLocal(java.nio.file.Path local, long offset, long listedLength)
      throws IOException {
    long length = listedLength;
    if (length < 0) {
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(local, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException(NO_SUCH_FILE);
      }
      if (attributes.isDirectory()) {
        throw new FileNotFoundException(IS_DIRECTORY);
      }
      if (!attributes.isRegularFile()) {
        // A named pipe or a device would block the read, or never end.
        throw new FileNotFoundException(NOT_REGULAR);
      }
      length = attributes.size();
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(local, READ_ONLY);
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(NO_SUCH_FILE);
    }
    if (offset > 0) {
      channel.position(offset);
    }
    // The length the status gave, as a store's listed status gives it, not the channel's: its
    // size() is a second fstat, 0.3 us of the 7.9 a small file took (docs/performance.md,
    // "Opening and listing files").
    return new ReadableFile(channel, length);
  }
}
