package io.npystats.task;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Lists the files an input names, on the driver, as fully qualified paths in sorted order, each
 * once:
 *
 * <ul>
 *   <li>a folder: every visible entry in it (hidden ones, whose names start with {@code .} or
 *       {@code _}, are skipped) that is not a folder, and every visible folder whose name ends in
 *       {@code .npy}: a broken link, a pipe or a folder named {@code x.npy} still gets its row,
 *       with the reason, as it would named in a list. Local folders and those of other stores
 *       (HDFS) select by the same rule;
 *   <li>a glob such as {@code data/files/file_1*.npy}: its matches, selected by the same rule
 *       (so {@code data/files/*} takes neither temporaries nor the generate manifest);
 *   <li>a {@code .npy} file: itself;
 *   <li>any other file: a list of paths, one a line ({@code #} comments and blank lines skipped),
 *       a relative one resolved against the working directory, as a path given on the command
 *       line is: {@code ls data/files/*.npy > chosen.txt} makes a list that works from where it
 *       was made, wherever the list is kept.
 * </ul>
 *
 * <p>The input is a set of files: a path named twice (twice in a list, or in two spellings that
 * qualify to the same path) is listed once, and {@link Listing#duplicates} says how many were
 * dropped.
 */
public final class InputPaths {
  /**
   * The files of an input.
   *
   * @param files fully qualified, sorted, each once
   * @param statuses each file's status beside it, where a store's listing gave it: its reader then
   *     need not ask the store again; null at a folder named {@code x.npy}, whose reader is to find
   *     it is one; null as a whole where the listing gave none (a local folder, a list, a file)
   * @param duplicates how many more times the input named some of them
   * @param lengths where a local folder was listed, each file's length beside it as the listing's
   *     {@code stat} found it, {@link #NO_LENGTH} where that found no regular file (a pipe, a
   *     device, a link to nothing, a folder named {@code x.npy}), whose reader is to say what it
   *     is; null for any other listing
   */
  public record Listing(List<String> files, FileStatus[] statuses, int duplicates,
      long[] lengths) {
    /** A listing without local lengths. */
    public Listing(List<String> files, FileStatus[] statuses, int duplicates) {
      this(files, statuses, duplicates, null);
    }
  }

  /** A local file's length in {@link Listing#lengths} where the listing found no regular file. */
  public static final long NO_LENGTH = -1;

  private InputPaths() {}

  /** The files of {@code input}; see the class comment. */
  public static List<String> list(String input, Configuration conf) throws IOException {
    return listing(input, conf, false).files();
  }

  /**
   * The files of {@code input}, with how many duplicates were dropped, and a local folder's files
   * with their lengths ({@link Listing#lengths}).
   */
  public static Listing listing(String input, Configuration conf) throws IOException {
    return listing(input, conf, true);
  }

  /** @param localLengths whether a local folder's files are {@code stat}ed for their lengths */
  private static Listing listing(String input, Configuration conf, boolean localLengths)
      throws IOException {
    Path path = new Path(input);
    FileSystem fs = Stores.of(path, conf);
    List<String> files = new ArrayList<>();
    // A store's listing gives each file's length and version: its reader then needs no request to
    // learn them, a HEAD per object on S3.
    FileStatus[] statuses = null;
    long[] lengths = null;
    if (isGlob(input)) {
      FileStatus[] matches = fs.globStatus(path);
      if (matches != null) {
        statuses = selected(fs, matches, files);
      }
      if (files.isEmpty()) {
        throw new FileNotFoundException("input " + input + ": no file matches the pattern");
      }
    } else {
      FileStatus status;
      try {
        status = fs.getFileStatus(path);
      } catch (FileNotFoundException e) {
        throw new FileNotFoundException("input " + input + " does not exist");
      }
      if (status.isDirectory() && fs instanceof RawLocalFileSystem raw) {
        lengths = listLocal(raw, fs.makeQualified(path), files, localLengths);
      } else if (status.isDirectory()) {
        statuses = selected(fs, fs.listStatus(path), files);
      } else if (isNpyName(path.getName())) {
        files.add(fs.makeQualified(path).toString());
        // Kept for the reader as a store's listing is, and so that a file larger than a split is
        // known to be one before any task runs.
        statuses = new FileStatus[] {status};
      } else {
        files.addAll(readList(fs, fs.makeQualified(path), conf));
      }
    }
    if (files.isEmpty()) {
      throw new FileNotFoundException("input " + input + " holds no files");
    }
    if (statuses == null) {
      files.sort(null);
      int distinct = 0;
      for (String file : files) {
        if (distinct == 0 || !file.equals(files.get(distinct - 1))) {
          files.set(distinct++, file);
        }
      }
      int duplicates = files.size() - distinct;
      files.subList(distinct, files.size()).clear();
      // A folder's names are distinct and already sorted: its lengths stay beside them.
      return new Listing(files, null, duplicates, duplicates == 0 ? lengths : null);
    }
    return sortedWithStatuses(files, statuses);
  }

  /**
   * Adds the visible, selected entries of a store's listing to {@code files}.
   *
   * @return their statuses, in the same order; null for a folder
   */
  private static FileStatus[] selected(FileSystem fs, FileStatus[] statuses, List<String> files) {
    FileStatus[] kept = new FileStatus[statuses.length];
    for (FileStatus status : statuses) {
      if (isVisible(status.getPath().getName()) && isSelected(status)) {
        kept[files.size()] = status.isDirectory() ? null : status;
        files.add(fs.makeQualified(status.getPath()).toString());
      }
    }
    return Arrays.copyOf(kept, files.size());
  }

  /** {@code files} sorted, each once, with their statuses beside them. */
  private static Listing sortedWithStatuses(List<String> files, FileStatus[] statuses) {
    Integer[] order = new Integer[files.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(files::get));
    List<String> sorted = new ArrayList<>(files.size());
    FileStatus[] sortedStatuses = new FileStatus[files.size()];
    for (int i : order) {
      String file = files.get(i);
      if (sorted.isEmpty() || !file.equals(sorted.get(sorted.size() - 1))) {
        sortedStatuses[sorted.size()] = statuses[i];
        sorted.add(file);
      }
    }
    return new Listing(sorted, Arrays.copyOf(sortedStatuses, sorted.size()),
        files.size() - sorted.size());
  }

  /** A folder is taken only where its name says it is meant as a {@code .npy} file. */
  private static boolean isSelected(FileStatus status) {
    return !status.isDirectory() || isNpyName(status.getPath().getName());
  }

  private static boolean isNpyName(String name) {
    return name.endsWith(".npy");
  }

  /**
   * Lists a local folder itself: Hadoop's listing drops a link whose target is gone, and then
   * that file would get no row at all. Here it is listed, and its row says what is wrong.
   *
   * <p>With {@code lengths}, every entry is {@code stat}ed here, once, on the driver, as Spark's
   * own file sources list a folder with its files' statuses: a task then opens a file the listing
   * found regular without a {@code stat} of its own. Two tasks on two cores each making a
   * {@code stat} before every open spent about a sixth of their time in it on 100,000 files of
   * 8 KB, where the listing's one thread takes a few microseconds a file while Spark starts
   * (docs/performance.md, "Opening and listing files").
   *
   * @return each file's length, in the order of the names added to {@code files}
   *     ({@link Listing#lengths}); null without {@code lengths}
   */
  private static long[] listLocal(RawLocalFileSystem fs, Path dir, List<String> files,
      boolean lengths) throws IOException {
    // The folder's own scheme: a file system that extends the local one keeps its name. A name
    // from a listing holds no '/'; building one Path per file cost more than the listing itself.
    String prefix = Stores.folderPrefix(dir);
    java.io.File folder = fs.pathToFile(dir);
    // The names alone: a directory stream makes a path of each entry, which cost a fifth of
    // listing 100,000 files.
    String[] entries = folder.list();
    if (entries == null) {
      // Unreadable after all: the stream says why, in an exception of its own.
      try (DirectoryStream<java.nio.file.Path> stream = Files.newDirectoryStream(folder.toPath())) {
        throw new IOException("cannot list " + folder);
      }
    }
    // Sorted by name before the folder is put in front, which keeps the order: comparing the
    // full paths went through their common folder on every comparison, and that sort was a
    // quarter of the driver's time on 100,000 files. The caller's sort then finds them in order.
    Arrays.sort(entries);
    long[] found = lengths ? new long[entries.length] : null;
    int kept = 0;
    // The folder opened once, each entry's stat made relative to it (fstatat) rather than by its
    // whole path: 0.31 to 0.40 s for 100,000 files against 0.42 to 0.47 s.
    try (Stat stat = lengths ? new Stat(folder.toPath()) : null) {
      for (String name : entries) {
        if (!isVisible(name)) {
          continue;
        }
        if (lengths) {
          long length = stat.lengthOf(name);
          if (length == FOLDER && !isNpyName(name)) {
            continue;
          }
          found[kept] = Math.max(length, NO_LENGTH);
        } else if (!isNpyName(name) && new java.io.File(folder, name).isDirectory()) {
          continue;
        }
        entries[kept++] = name;
      }
    }
    for (int i = 0; i < kept; i++) {
      files.add(prefix + entries[i]);
    }
    return lengths ? Arrays.copyOf(found, kept) : null;
  }

  /** What {@link Stat#lengthOf} gives for a folder. */
  private static final long FOLDER = -2;

  /** The {@code stat} of the entries of one local folder, following links. */
  private static final class Stat implements AutoCloseable {
    private final java.nio.file.Path folder;
    private final SecureDirectoryStream<java.nio.file.Path> opened;

    Stat(java.nio.file.Path folder) {
      this.folder = folder;
      SecureDirectoryStream<java.nio.file.Path> secure = null;
      try {
        DirectoryStream<java.nio.file.Path> stream = Files.newDirectoryStream(folder);
        if (stream instanceof SecureDirectoryStream<java.nio.file.Path> s) {
          secure = s;
        } else {
          stream.close();
        }
      } catch (IOException | RuntimeException e) {
        // each entry by its whole path, then
      }
      this.opened = secure;
    }

    /**
     * The entry's length; {@link #FOLDER} for a folder, and {@link #NO_LENGTH} for anything else
     * that is not a regular file or cannot be told (a link to nothing: its reader says what is
     * wrong).
     */
    long lengthOf(String name) {
      try {
        BasicFileAttributes attributes = opened != null
            ? opened.getFileAttributeView(folder.getFileSystem().getPath(name),
                BasicFileAttributeView.class).readAttributes()
            : Files.readAttributes(folder.resolve(name), BasicFileAttributes.class);
        return attributes.isRegularFile() ? attributes.size()
            : attributes.isDirectory() ? FOLDER : NO_LENGTH;
      } catch (IOException | RuntimeException e) {
        return NO_LENGTH;
      }
    }

    @Override
    public void close() throws IOException {
      if (opened != null) {
        opened.close();
      }
    }
  }

  /** Hidden files (temporaries, Spark's {@code _SUCCESS}) are not input. */
  private static boolean isVisible(String name) {
    return !name.startsWith(".") && !name.startsWith("_");
  }

  /**
   * The paths a list names. A relative one is qualified by the file system it names, as
   * {@link Stores#qualify} does a path given on the command line: against the working directory
   * of the default file system, not the list's folder.
   */
  private static List<String> readList(FileSystem fs, Path list, Configuration conf)
      throws IOException {
    List<String> files = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(fs.open(list), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String entry = line.strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
          continue;
        }
        files.add(Stores.qualify(entry, conf));
      }
    }
    return files;
  }

  static boolean isGlob(String input) {
    return input.indexOf('*') >= 0 || input.indexOf('?') >= 0 || input.indexOf('[') >= 0
        || input.indexOf('{') >= 0;
  }
}
