package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputPathsTest {
  @TempDir Path dir;
  final Configuration conf = new Configuration();

  @BeforeEach
  void files() throws Exception {
    for (String name : new String[] {"file_2.npy", "file_10.npy", "file_1.npy", ".file_3.npy.ab.tmp",
        "_SUCCESS", "notes.txt"}) {
      Files.writeString(dir.resolve(name), "x");
    }
    Files.createDirectories(dir.resolve("sub"));
  }

  private String uri(String name) {
    return "file:" + dir.resolve(name);
  }

  @Test
  void aFolderListsItsVisibleFilesSorted() throws Exception {
    assertThat(InputPaths.list(dir.toString(), conf)).containsExactly(
        uri("file_1.npy"), uri("file_10.npy"), uri("file_2.npy"), uri("notes.txt"));
  }

  @Test
  void aFolderGivesThePathsHadoopWouldForAwkwardNames() throws Exception {
    String[] names = {"a b.npy", "hash#1.npy", "pct%20.npy", "colon:1.npy", "m\u00e9t\u00e9o.npy",
        "q?.npy", "brace{x}.npy"};
    Path awkward = Files.createDirectories(dir.resolve("awk ward"));
    for (String name : names) {
      Files.writeString(awkward.resolve(name), "x");
    }
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (String name : names) {
      // Path(parent, child) refuses a name with a colon; the three-part constructor takes any.
      expected.add(new org.apache.hadoop.fs.Path("file", null, awkward + "/" + name).toString());
    }
    expected.sort(null);
    assertThat(InputPaths.list(awkward.toString(), conf)).containsExactlyElementsOf(expected);
  }

  @Test
  void aBrokenLinkIsListedSoThatItGetsARow() throws Exception {
    Files.createSymbolicLink(dir.resolve("file_4.npy"), dir.resolve("deleted.npy"));
    assertThat(InputPaths.list(dir.toString(), conf)).contains(uri("file_4.npy"));
  }

  @Test
  void aGlobListsItsMatches() throws Exception {
    assertThat(InputPaths.list(dir + "/file_1*.npy", conf))
        .containsExactly(uri("file_1.npy"), uri("file_10.npy"));
    assertThatThrownBy(() -> InputPaths.list(dir + "/nothing*.npy", conf))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("input " + dir + "/nothing*.npy: no file matches the pattern");
  }

  @Test
  void aListFileResolvesRelativePathsAgainstTheWorkingDirectory() throws Exception {
    Path list = dir.resolve("paths.txt");
    Files.writeString(list, "# chosen files\ndata/file_2.npy\n\n" + dir.resolve("file_1.npy") + "\n");
    // As ls or find would have written it from the working directory, not from the list's folder.
    String workingDir = Path.of(System.getProperty("user.dir")).toAbsolutePath().toString();
    assertThat(InputPaths.list(list.toString(), conf))
        .containsExactlyInAnyOrder("file:" + workingDir + "/data/file_2.npy", uri("file_1.npy"));
  }

  @Test
  void aPathNamedTwiceIsListedOnce() throws Exception {
    Path list = dir.resolve("paths.txt");
    Files.writeString(list, dir.resolve("file_2.npy") + "\n" + uri("file_2.npy") + "\n"
        + dir.resolve("sub/../file_2.npy") + "\n" + dir.resolve("file_1.npy") + "\n");
    InputPaths.Listing listing = InputPaths.listing(list.toString(), conf);
    assertThat(listing.files()).containsExactly(uri("file_1.npy"), uri("file_2.npy"));
    assertThat(listing.duplicates()).isEqualTo(2);
    assertThat(InputPaths.listing(dir.toString(), conf).duplicates()).isZero();
  }

  @Test
  void aFolderNamedLikeANpyFileIsListedSoThatItGetsARow() throws Exception {
    Files.createDirectories(dir.resolve("x.npy"));
    Files.createDirectories(dir.resolve(".hidden.npy"));
    assertThat(InputPaths.list(dir.toString(), conf)).containsExactly(
        uri("file_1.npy"), uri("file_10.npy"), uri("file_2.npy"), uri("notes.txt"), uri("x.npy"));
    assertThat(InputPaths.list(dir + "/*", conf)).containsExactly(
        uri("file_1.npy"), uri("file_10.npy"), uri("file_2.npy"), uri("notes.txt"), uri("x.npy"));
  }

  @Test
  void aLocalFolderIsListedWithTheLengthsOfItsRegularFilesAndNoneForTheRest() throws Exception {
    Files.writeString(dir.resolve("file_2.npy"), "12345");
    Files.createDirectories(dir.resolve("x.npy"));
    Files.createSymbolicLink(dir.resolve("gone.npy"), dir.resolve("deleted.npy"));
    Files.createSymbolicLink(dir.resolve("linked.npy"), dir.resolve("file_2.npy"));
    Files.createSymbolicLink(dir.resolve("linked-folder"), dir.resolve("sub"));
    boolean pipe = mkfifo(dir.resolve("pipe.npy"));
    InputPaths.Listing listing = InputPaths.listing(dir.toString(), conf);
    java.util.List<String> expected = new java.util.ArrayList<>(java.util.List.of(uri("file_1.npy"),
        uri("file_10.npy"), uri("file_2.npy"), uri("gone.npy"), uri("linked.npy"),
        uri("notes.txt")));
    java.util.List<Long> lengths = new java.util.ArrayList<>(java.util.List.of(1L, 1L, 5L, -1L,
        5L, 1L));
    if (pipe) {
      expected.add(uri("pipe.npy"));
      lengths.add(-1L);
    }
    expected.add(uri("x.npy"));
    lengths.add(-1L);
    assertThat(listing.files()).containsExactlyElementsOf(expected);
    assertThat(listing.lengths()).containsExactly(
        lengths.stream().mapToLong(Long::longValue).toArray());
    assertThat(listing.statuses()).isNull();
    // The same files without their lengths, for whoever needs only the paths.
    assertThat(InputPaths.list(dir.toString(), conf)).containsExactlyElementsOf(expected);
  }

  @Test
  void onlyALocalFolderIsListedWithLengths() throws Exception {
    assertThat(InputPaths.listing(dir + "/file_1*.npy", conf).lengths()).isNull();
    assertThat(InputPaths.listing(dir.resolve("file_2.npy").toString(), conf).lengths()).isNull();
    Path list = dir.resolve("paths.txt");
    Files.writeString(list, dir.resolve("file_2.npy") + "\n");
    assertThat(InputPaths.listing(list.toString(), conf).lengths()).isNull();
  }

  private static boolean mkfifo(Path path) {
    try {
      return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aSingleNpyFileIsItself() throws Exception {
    assertThat(InputPaths.list(dir.resolve("file_2.npy").toString(), conf)).containsExactly(uri("file_2.npy"));
  }

  @Test
  void missingAndEmptyInputsAreRefused() throws Exception {
    assertThatThrownBy(() -> InputPaths.list(dir.resolve("absent").toString(), conf))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("input " + dir.resolve("absent") + " does not exist");
    assertThatThrownBy(() -> InputPaths.list(dir.resolve("sub").toString(), conf))
        .hasMessage("input " + dir.resolve("sub") + " holds no files");
  }
}
