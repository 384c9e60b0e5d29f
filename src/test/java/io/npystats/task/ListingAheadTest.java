package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingAheadTest {
  @TempDir Path dir;
  final Configuration conf = new Configuration();

  @BeforeEach
  void files() throws Exception {
    conf.set("fs.file.impl", NoChecksumLocalFileSystem.class.getName());
    for (String name : new String[] {"file_2.npy", "file_10.npy", "file_1.npy", "_SUCCESS"}) {
      Files.writeString(dir.resolve(name), "x");
    }
  }

  @Test
  void aLocalFolderIsListedAheadAsTheJobWouldListIt() throws Exception {
    for (String input : new String[] {dir.toString(), "file:" + dir, "file://" + dir}) {
      ListingAhead ahead = ListingAhead.start(input, () -> conf);
      assertThat(ahead.isAhead()).as(input).isTrue();
      InputPaths.Listing listing = ahead.listing(new Configuration(false));
      assertThat(listing.files()).as(input)
          .containsExactlyElementsOf(InputPaths.listing(input, conf).files())
          .containsExactly("file:" + dir.resolve("file_1.npy"), "file:" + dir.resolve("file_10.npy"),
              "file:" + dir.resolve("file_2.npy"));
      assertThat(listing.statuses()).isNull();
      assertThat(ahead.seconds()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void theEarlyListingIsHandedOutOnceAndALaterAskListsAgain() throws Exception {
    ListingAhead ahead = ListingAhead.start(dir.toString(), () -> conf);
    assertThat(ahead.listing(conf).files()).hasSize(3);
    double seconds = ahead.seconds();
    assertThat(seconds).isGreaterThanOrEqualTo(0);
    // A file added since: only a listing made now finds it.
    Files.writeString(dir.resolve("file_3.npy"), "x");
    assertThat(ahead.listing(conf).files()).hasSize(4).contains("file:" + dir.resolve("file_3.npy"));
    assertThat(ahead.seconds()).isEqualTo(seconds);
  }

  @Test
  void theListingWaitsForTheThreadItComesAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread warmUp = new Thread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    warmUp.start();
    ListingAhead ahead = ListingAhead.start(dir.toString(), () -> conf, warmUp);
    assertThat(ahead.seconds()).as("not listed while the warm-up runs").isNaN();
    release.countDown();
    assertThat(ahead.listing(conf).files()).hasSize(3);
    assertThat(warmUp.isAlive()).isFalse();
  }

  @Test
  void anyOtherInputIsListedWhenAskedWithTheSessionsSettings() throws Exception {
    Path list = Files.writeString(dir.resolve("chosen.txt"), dir.resolve("file_2.npy") + "\n");
    for (String input : new String[] {dir + "/file_1*.npy", list.toString(),
        dir.resolve("file_1.npy").toString(), "hdfs://namenode:8020" + dir, "file://host" + dir}) {
      ListingAhead later = ListingAhead.whenAsked(input);
      assertThat(ListingAhead.start(input, () -> conf).isAhead()).as(input).isFalse();
      assertThat(later.seconds()).isNaN();
    }
    assertThat(ListingAhead.start(list.toString(), () -> conf).listing(conf).files())
        .containsExactly("file:" + dir.resolve("file_2.npy"));
    assertThat(ListingAhead.start(dir + "/file_1*.npy", () -> conf).listing(conf).files())
        .containsExactly("file:" + dir.resolve("file_1.npy"), "file:" + dir.resolve("file_10.npy"));
  }

  @Test
  void aPlainPathNamesTheDefaultFileSystemAndIsListedInTheJobWhereThatIsNotLocal()
      throws Exception {
    Configuration onHdfs = new Configuration(conf);
    onHdfs.set("fs.defaultFS", "hdfs://namenode.invalid:8020");
    ListingAhead ahead = ListingAhead.start(dir.toString(), () -> onHdfs);
    // Listed with the settings the job hands over, not on the early thread's.
    assertThat(ahead.listing(conf).files()).hasSize(3);
    assertThat(ahead.seconds()).isNaN();
    assertThat(ListingAhead.namesLocalFile(dir.toString(), onHdfs)).isFalse();
    assertThat(ListingAhead.namesLocalFile("file:" + dir, onHdfs)).isTrue();
    assertThat(ListingAhead.namesLocalFile(dir.toString(), conf)).isTrue();
  }

  @Test
  void aMissingInputFailsWhereTheListingIsAskedFor() {
    String missing = dir.resolve("missing").toString();
    ListingAhead ahead = ListingAhead.start(missing, () -> conf);
    assertThat(ahead.isAhead()).isFalse();
    assertThatThrownBy(() -> ahead.listing(conf)).isInstanceOf(FileNotFoundException.class)
        .hasMessage("input " + missing + " does not exist");
  }

  @Test
  void aFailureOfTheEarlyListingIsThrownAsTheJobsListingWouldThrowIt() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve(".hidden.npy"), "x");
    ListingAhead ahead = ListingAhead.start(empty.toString(), () -> conf);
    assertThat(ahead.isAhead()).isTrue();
    assertThatThrownBy(() -> ahead.listing(conf)).isInstanceOf(FileNotFoundException.class)
        .hasMessage("input " + empty + " holds no files");
    assertThat(ahead.seconds()).isNaN();
  }

  @Test
  void theEarlyListingsOwnSettingsFailingIsThrownToo() {
    ListingAhead ahead = ListingAhead.start(dir.toString(), () -> {
      throw new IllegalStateException("no settings");
    });
    assertThatThrownBy(() -> ahead.listing(conf)).isInstanceOf(IllegalStateException.class)
        .hasMessage("no settings");
  }
}
