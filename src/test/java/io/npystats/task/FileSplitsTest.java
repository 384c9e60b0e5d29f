package io.npystats.task;

import static io.npystats.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.npy.NpyHeader;
import io.npystats.stats.StreamingStats;
import io.npystats.testing.Fixtures;
import io.npystats.testing.Fixtures.Expected;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class FileSplitsTest {
  final SummarizeFile task = new SummarizeFile(new Configuration());

  /** Reads a file the way a stats run with splits of {@code splitBytes} does, without Spark. */
  private FileSummary readInSplits(String path, long splitBytes) {
    SummarizeFile.FirstRead first = task.first(path, splitBytes);
    if (first.summary() != null) {
      return first.summary();
    }
    List<FileSplits.Part> parts = new ArrayList<>();
    for (FileSplits.Split split : first.splits().splits()) {
      parts.add(task.apply(split));
    }
    if (!first.splits().sumsVouchedFor(parts)) {
      parts.clear();
      for (FileSplits.Split split : first.splits().splitsWithExactSums()) {
        parts.add(task.apply(split));
      }
    }
    return first.splits().merge(parts);
  }

  @Test
  void splitsWhoseSumsCancelEachOtherAreReadAgainWithExactSums() throws Exception {
    Expected cancel = Fixtures.manifest().stream()
        .filter(e -> e.file().equals("cancel_alternating.npy")).findFirst().orElseThrow();
    String path = Fixtures.dir().resolve(cancel.file()).toString();
    int readAgain = 0;
    for (long splitBytes : new long[] {64, 4096, 8000, 32 * 1024, 128 * 1024, 300_000}) {
      SummarizeFile.FirstRead first = task.first(path, splitBytes);
      List<FileSplits.Part> parts = new ArrayList<>();
      first.splits().splits().forEach(split -> parts.add(task.apply(split)));
      readAgain += first.splits().sumsVouchedFor(parts) ? 0 : 1;

      double mean = readInSplits(path, splitBytes).mean();
      assertThat(Math.abs(mean - cancel.exactMean()))
          .as("splits of %d bytes: mean %s, exact %s", splitBytes, mean, cancel.exactMean())
          .isLessThanOrEqualTo(2 * Math.ulp(cancel.exactMean()));
    }
    assertThat(readAgain).as("cuts whose splits were read again").isPositive();
  }

  @Test
  void everyFixtureReadIn64ByteSplitsGivesItsWholeReadsRowAndNumpysAnswer() {
    int split = 0;
    for (Expected e : Fixtures.manifest()) {
      String path = Fixtures.dir().resolve(e.file()).toString();
      FileSummary whole = task.apply(path);
      SummarizeFile.FirstRead first = task.first(path, 64);
      if (first.splits() != null) {
        split++;
        assertThat(first.splits().count()).as(e.file()).isGreaterThan(1);
      }
      FileSummary parts = readInSplits(path, 64);

      assertThat(parts.status()).as(e.file()).isEqualTo(whole.status());
      assertThat(parts.error()).as(e.file()).isEqualTo(whole.error());
      assertThat(parts.dtype()).as(e.file()).isEqualTo(whole.dtype());
      assertThat(parts.shape()).as(e.file()).isEqualTo(whole.shape());
      assertThat(parts.n()).as(e.file()).isEqualTo(whole.n());
      assertThat(parts.bytes()).as(e.file()).isEqualTo(whole.bytes());
      assertClose(e.file() + " min", parts.min(), whole.min(), 0);
      assertClose(e.file() + " max", parts.max(), whole.max(), 0);
      assertClose(e.file() + " mean", parts.mean(), whole.mean());
      assertClose(e.file() + " std", parts.std(), whole.std());
      if (!e.refuse()) {
        assertThat(parts.n()).as(e.file()).isEqualTo(e.n());
        assertClose(e.file() + " mean, numpy's", parts.mean(), e.mean());
        assertClose(e.file() + " std, numpy's", parts.std(), e.std());
        assertClose(e.file() + " min, numpy's", parts.min(), e.min(), 0);
        assertClose(e.file() + " max, numpy's", parts.max(), e.max(), 0);
      }
    }
    assertThat(split).as("fixtures read in splits").isGreaterThanOrEqualTo(20);
  }

  @Test
  void aBadFileLargerThanASplitIsRefusedByItsFirstReadWithTheWholeReadsReason() {
    for (String bad : List.of("truncated_data.npy", "object_dtype.npy", "huge_shape.npy")) {
      String path = Fixtures.dir().resolve(bad).toString();
      SummarizeFile.FirstRead first = task.first(path, 64);
      assertThat(first.splits()).as(bad).isNull();
      assertThat(first.summary().error()).as(bad).isEqualTo(task.apply(path).error()).isNotBlank();
    }
  }

  @Test
  void splitsHoldWholeItemsAndCoverTheDataOnce() {
    for (long[] shape : new long[][] {{1000}, {7, 13}, {1}, {65}}) {
      for (int splitBytes : new int[] {1, 7, 64, 100, 4096}) {
        NpyHeader header = NpyHeader.float64Vector(shape[0] * (shape.length > 1 ? shape[1] : 1));
        FileSplits f = FileSplits.of("x.npy", header.expectedFileLength(), header, splitBytes, 0);
        if (header.dataLength() <= splitBytes) {
          assertThat(f).isNull();
          continue;
        }
        long next = header.dataOffset();
        for (FileSplits.Split s : f.splits()) {
          assertThat(s.offset()).isEqualTo(next);
          assertThat(s.length()).isPositive().isLessThanOrEqualTo(Math.max(8, splitBytes));
          assertThat((s.offset() - header.dataOffset()) % 8).isZero();
          assertThat(s.length() % 8).isZero();
          next += s.length();
        }
        assertThat(next).isEqualTo(header.expectedFileLength());
      }
    }
  }

  @Test
  void aHugeFileGetsAtMostAMillionSplitsOrSo() {
    NpyHeader header = NpyHeader.float64Vector(1L << 40);
    FileSplits f = FileSplits.of("huge.npy", header.expectedFileLength(), header, 64, 0);
    assertThat((long) f.count()).isLessThanOrEqualTo(FileSplits.MAX_SPLITS + 1);
    assertThat(f.splitBytes() % 8).isZero();
  }

  @Test
  void partsMergeInSplitOrderWhateverOrderTheyArriveIn() {
    NpyHeader header = NpyHeader.float64Vector(4000);
    FileSplits f = FileSplits.of("x.npy", header.expectedFileLength(), header, 800, 0);
    Random random = new Random(3);
    List<FileSplits.Part> parts = new ArrayList<>();
    for (int i = 0; i < f.count(); i++) {
      StreamingStats s = new StreamingStats();
      for (int k = 0; k < 100; k++) {
        s.add(1e6 + random.nextGaussian() * (i + 1));
      }
      parts.add(new FileSplits.Part("x.npy", i, s, null, 0.5));
    }
    FileSummary ordered = f.merge(parts);
    for (int round = 0; round < 5; round++) {
      List<FileSplits.Part> shuffled = new ArrayList<>(parts);
      Collections.shuffle(shuffled, random);
      FileSummary merged = f.merge(shuffled);
      assertThat(merged).isEqualTo(ordered);
    }
    assertThat(ordered.n()).isEqualTo(4000);
    assertThat(ordered.seconds()).isEqualTo(0.5 * f.count());
  }

  @Test
  void aFailedSplitMakesTheFileOneErrorRowWithTheFirstReason() {
    NpyHeader header = NpyHeader.float64Vector(4000);
    FileSplits f = FileSplits.of("x.npy", header.expectedFileLength(), header, 8000, 0);
    assertThat(f.count()).isEqualTo(4);
    List<FileSplits.Part> parts = new ArrayList<>();
    parts.add(new FileSplits.Part("x.npy", 3, null, "third reason", 0));
    parts.add(new FileSplits.Part("x.npy", 1, null, "first reason", 0));
    parts.add(new FileSplits.Part("x.npy", 0, new StreamingStats(), null, 0));
    parts.add(new FileSplits.Part("x.npy", 2, new StreamingStats(), null, 0));
    FileSummary row = f.merge(parts);
    assertThat(row.status()).isEqualTo(FileSummary.ERROR);
    assertThat(row.error()).isEqualTo("first reason");
    assertThat(row.bytes()).isEqualTo(header.expectedFileLength());

    assertThatThrownBy(() -> f.merge(parts.subList(0, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x.npy: parts of splits [0, 1, 3], expected each of 0 to 3 once");
  }
}
