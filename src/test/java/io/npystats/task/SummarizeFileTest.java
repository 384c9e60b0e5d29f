package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.npystats.stats.StreamingStats;
import io.npystats.testing.Fixtures;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummarizeFileTest {
  private static boolean mkfifo(Path path) {
    try {
      return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  final SummarizeFile task = new SummarizeFile(new Configuration());

  @Test
  void aGoodFileIsARowWithItsStatistics() {
    FileSummary s = task.apply(Fixtures.dir().resolve("one_f8.npy").toString());
    assertThat(s.isOk()).isTrue();
    assertThat(s.dtype()).isEqualTo("<f8");
    assertThat(s.shape()).isEqualTo("(1,)");
    assertThat(s.n()).isEqualTo(1);
    assertThat(s.mean()).isEqualTo(3.25);
    assertThat(s.bytes()).isEqualTo(136);
    assertThat(countMerged(s)).isEqualTo(1);
  }

  @Test
  void aFileWhoseChunksSumsCancelEachOtherStillGetsTheExactlyRoundedMean() {
    Fixtures.Expected cancel = Fixtures.manifest().stream()
        .filter(e -> e.file().equals("cancel_alternating.npy")).findFirst().orElseThrow();
    String path = Fixtures.dir().resolve(cancel.file()).toString();
    for (int chunkValues : new int[] {1000, 4096, 16_384, 1 << 17}) {
      FileSummary s = new SummarizeFile(new Configuration(), chunkValues * 8).apply(path);
      assertThat(Math.abs(s.mean() - cancel.exactMean()))
          .as("chunks of %d: mean %s, exact %s", chunkValues, s.mean(), cancel.exactMean())
          .isLessThanOrEqualTo(2 * Math.ulp(cancel.exactMean()));
      assertThat(Math.abs(s.std() - cancel.exactStd())).isLessThanOrEqualTo(1e-12 * s.std());
      assertThat(s.n()).isEqualTo(cancel.n());
    }
  }

  @Test
  void everyFixtureOpenedWithItsListedLengthGivesTheRowItsOwnStatGives() throws IOException {
    InputPaths.Listing listing = InputPaths.listing(Fixtures.dir().toString(), new Configuration());
    assertThat(listing.lengths()).hasSize(listing.files().size());
    int npy = 0;
    for (int i = 0; i < listing.files().size(); i++) {
      String path = listing.files().get(i);
      if (!path.endsWith(".npy")) {
        continue;
      }
      npy++;
      // The second of each pair takes the local files' own way, without a stat, once the first
      // has found the file system; each on a task of its own, as in a job.
      SummarizeFile listed = new SummarizeFile(new Configuration());
      listed.apply(path);
      FileSummary withLength =
          listed.first(path, null, listing.lengths()[i], Long.MAX_VALUE, null).summary();
      FileSummary statted = task.apply(path);
      assertThat(withLength).as(path).usingRecursiveComparison().ignoringFields("seconds")
          .withComparatorForType(java.util.Comparator.comparingLong(Double::doubleToRawLongBits),
              Double.class)
          .isEqualTo(statted);
      assertThat(listing.lengths()[i]).as(path).isEqualTo(statted.bytes());
    }
    assertThat(npy).isEqualTo(Fixtures.manifest().size());
  }

  @Test
  void aListedFileGoneOrChangedSinceTheListingIsAnErrorRowWithTheReason(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("file_0.npy");
    Files.copy(Fixtures.dir().resolve("small_f8.npy"), file);
    String path = "file:" + file;
    InputPaths.Listing listing = InputPaths.listing(dir.toString(), new Configuration());
    assertThat(listing.files()).containsExactly(path);
    long length = listing.lengths()[0];
    task.apply(path);

    Files.delete(file);
    assertThat(task.first(path, null, length, Long.MAX_VALUE, null).summary().error())
        .isEqualTo("no such file");

    // Another file in its place: its own row, as it is read.
    Files.copy(Fixtures.dir().resolve("one_f8.npy"), file);
    FileSummary replaced = task.first(path, null, length, Long.MAX_VALUE, null).summary();
    assertThat(replaced.isOk()).isTrue();
    assertThat(replaced.mean()).isEqualTo(3.25);

    // Cut short: refused, saying so, where the listing's length would have passed.
    Files.write(file, Arrays.copyOf(Files.readAllBytes(Fixtures.dir().resolve("small_f8.npy")),
        200));
    FileSummary cut = task.first(path, null, length, Long.MAX_VALUE, null).summary();
    assertThat(cut.error()).isEqualTo("data shorter than the shape needs: shape (1000,) of <f8"
        + " needs 8128 bytes with the header, file has 200");
  }

  @Test
  void whatCannotBeReadIsAnErrorRowWithTheReason(@TempDir Path dir) {
    FileSummary missing = task.apply(dir.resolve("gone.npy").toString());
    assertThat(missing.status()).isEqualTo(FileSummary.ERROR);
    assertThat(missing.error()).isEqualTo("no such file");

    FileSummary folder = task.apply(dir.toString());
    assertThat(folder.error()).isEqualTo("is a directory, not a .npy file");

    Path pipe = dir.resolve("pipe.npy");
    assumeTrue(mkfifo(pipe), "mkfifo is not available");
    assertThat(task.apply(pipe.toString()).error())
        .isEqualTo("is not a regular file (a pipe, socket or device)");

    FileSummary complex = task.apply(Fixtures.dir().resolve("complex.npy").toString());
    assertThat(complex.error())
        .isEqualTo("dtype '<c16' is refused: complex numbers have no real mean or standard deviation");
    assertThat(complex.bytes()).isEqualTo(1728);
    assertThat(countMerged(complex)).isZero();
  }

  @Test
  void aSplitOfAFileThatShrankSinceItsHeaderWasReadIsAnErrorWithTheReason(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("shrinks.npy");
    Files.copy(Fixtures.dir().resolve("small_f8.npy"), file);
    SummarizeFile.FirstRead first = task.first(file.toString(), 1024);
    assertThat(first.splits().count()).isEqualTo(8);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(128 + 7000);
    }
    assertThat(task.apply(first.splits().splits().get(5)).error()).isNull();
    FileSplits.Part part = task.apply(first.splits().splits().get(6));
    assertThat(part.stats()).isNull();
    assertThat(part.error()).isEqualTo("file changed while it was read: split 6 of 8 needs bytes"
        + " up to 7296, file has 7128 (it had 8128 when its header was read)");
  }

  @Test
  void aPlanReadsTheHeaderOnlyAndRefusesABadFileForTheReasonItsFirstReadGives(@TempDir Path dir)
      throws IOException {
    String small = Fixtures.dir().resolve("small_f8.npy").toString();
    SummarizeFile.FirstRead planned = task.plan(small, null, 1024);
    assertThat(planned.summary()).isNull();
    assertThat(planned.splits().count()).isEqualTo(8);
    assertThat(planned.splits()).usingRecursiveComparison().ignoringFields("headerSeconds")
        .isEqualTo(task.first(small, 1024).splits());
    assertThat(task.plan(small, null, 8000)).as("its data fits in one split").isNull();

    Path truncated = dir.resolve("truncated.npy");
    Files.copy(Fixtures.dir().resolve("small_f8.npy"), truncated);
    try (FileChannel channel = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
      channel.truncate(5000);
    }
    FileSummary refused = task.plan(truncated.toString(), null, 1024).summary();
    assertThat(refused.error()).isEqualTo("data shorter than the shape needs: shape (1000,) of"
        + " <f8 needs 8128 bytes with the header, file has 5000");
    assertThat(refused.error()).isEqualTo(task.first(truncated.toString(), 1024).summary().error());
    assertThat(refused.bytes()).isEqualTo(5000);
  }

  /** How many values a row's partial adds to the totals. */
  private static long countMerged(FileSummary row) {
    StreamingStats totals = new StreamingStats();
    row.mergeInto(totals);
    return totals.count();
  }
}
