package io.npystats.task;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Lists the files an input names, on the driver, as fully qualified paths in sorted order:
 *
 * <ul>
 *   <li>a folder: every entry in it but folders and hidden ones (names starting with {@code .} or
 *       {@code _}), so that a broken link or a pipe still gets its row, with the reason;
 *   <li>a glob such as {@code data/files/file_1*.npy};
 *   <li>a {@code .npy} file: itself;
 *   <li>any other file: a list of paths, one a line ({@code #} comments and blank lines skipped,
 *       relative paths resolved beside the list).
 * </ul>
 */
public final class InputPaths {
  private InputPaths() {}

  public static List<String> list(String input, Configuration conf) throws IOException {
    Path path = new Path(input);
    FileSystem fs = Stores.of(path, conf);
    List<String> files = new ArrayList<>();
    if (isGlob(input)) {
      FileStatus[] matches = fs.globStatus(path);
      if (matches != null) {
        for (FileStatus status : matches) {
          if (status.isFile()) {
            files.add(fs.makeQualified(status.getPath()).toString());
          }
        }
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
        listLocal(raw, fs.makeQualified(path), files);
      } else if (status.isDirectory()) {
        for (FileStatus child : fs.listStatus(path)) {
          if (!child.isDirectory() && isVisible(child.getPath().getName())) {
            files.add(fs.makeQualified(child.getPath()).toString());
          }
        }
      } else if (path.getName().endsWith(".npy")) {
        files.add(fs.makeQualified(path).toString());
      } else {
        files.addAll(readList(fs, fs.makeQualified(path), conf));
      }
    }
    if (files.isEmpty()) {
      throw new FileNotFoundException("input " + input + " holds no files");
    }
    files.sort(null);
    return files;
  }

  /**
   * Lists a local folder itself: Hadoop's listing drops a link whose target is gone, and then
   * that file would get no row at all. Here it is listed, and its row says what is wrong.
   */
  private static void listLocal(RawLocalFileSystem fs, Path dir, List<String> files)
      throws IOException {
    // The folder's own scheme: a file system that extends the local one keeps its name. A name
    // from a listing holds no '/'; building one Path per file cost more than the listing itself.
    String prefix = Stores.folderPrefix(dir);
    try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(fs.pathToFile(dir).toPath())) {
      for (java.nio.file.Path entry : entries) {
        String name = entry.getFileName().toString();
        if (isVisible(name) && !Files.isDirectory(entry)) {
          files.add(prefix + name);
        }
      }
    }
  }

  /** Hidden files (temporaries, Spark's {@code _SUCCESS}) are not input. */
  private static boolean isVisible(String name) {
    return !name.startsWith(".") && !name.startsWith("_");
  }

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
        Path p = new Path(entry);
        Path resolved = p.isAbsolute() || p.toUri().getScheme() != null
            ? p : new Path(list.getParent(), entry);
        files.add(Stores.of(resolved, conf).makeQualified(resolved).toString());
      }
    }
    return files;
  }

  private static boolean isGlob(String input) {
    return input.indexOf('*') >= 0 || input.indexOf('?') >= 0 || input.indexOf('[') >= 0
        || input.indexOf('{') >= 0;
  }
}
