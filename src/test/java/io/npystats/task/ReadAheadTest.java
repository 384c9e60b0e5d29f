package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.npystats.testing.Fixtures;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadTest {
  static final Configuration CONF = new Configuration();
  static final long BUDGET = 64L << 20;

  @TempDir static Path tmp;
  /** Every numpy fixture, good and refused, with a missing file, a folder and a truncated file. */
  static List<String> paths;

  @BeforeAll
  static void setUp() throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> fixtures = Files.list(Fixtures.dir())) {
      fixtures.filter(p -> p.toString().endsWith(".npy")).sorted()
          .forEach(p -> all.add(p.toString()));
    }
    Path truncated = tmp.resolve("truncated.npy");
    Files.copy(Fixtures.dir().resolve("seed_shape_f8.npy"), truncated);
    try (FileChannel channel = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
      channel.truncate(500_000);
    }
    Files.createDirectory(tmp.resolve("x.npy"));
    all.add(3, tmp.resolve("missing.npy").toString());
    all.add(10, tmp.resolve("x.npy").toString());
    all.add(20, truncated.toString());
    paths = List.copyOf(all);
  }

  /** Each file's row without read-ahead, in order, the time it took left out. */
  static List<FileSummary> withoutReadAhead() {
    SummarizeFile task = new SummarizeFile(CONF);
    List<FileSummary> rows = new ArrayList<>();
    for (String path : paths) {
      rows.add(timeless(task.first(path, null, Long.MAX_VALUE).summary()));
    }
    return rows;
  }

  static FileSummary timeless(FileSummary s) {
    return new FileSummary(s.path(), s.status(), s.error(), s.dtype(), s.shape(), s.n(), s.mean(),
        s.std(), s.min(), s.max(), s.m2(), s.meanLow(), s.bytes(), 0);
  }

  /** Each file's row read through {@code ahead}, and how many files it had read ahead. */
  static List<FileSummary> through(ReadAhead ahead, int[] readAhead) {
    SummarizeFile task = new SummarizeFile(CONF);
    List<FileSummary> rows = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      Stores.ReadableFile bytes = ahead.take(i);
      if (bytes != null) {
        readAhead[0]++;
      }
      rows.add(timeless(task.first(paths.get(i), null, Long.MAX_VALUE, bytes).summary()));
    }
    return rows;
  }

  @Test
  void givesTheSameRowsInTheSameOrderAsReadingEachFileInTurn() {
    List<FileSummary> expected = withoutReadAhead();
    assertThat(expected).extracting(FileSummary::error).contains("no such file",
        "is a directory, not a .npy file",
        "data shorter than the shape needs: shape (100000,) of <f8 needs 800128 bytes with the"
            + " header, file has 500000");
    ReadAhead.Pool budget = new ReadAhead.Pool(BUDGET);
    int[] readAhead = {0};
    try (ReadAhead ahead = new ReadAhead(CONF, paths, null, null, 4, Long.MAX_VALUE,
        () -> {}, budget, false, 0)) {
      assertThat(through(ahead, readAhead)).containsExactlyElementsOf(expected);
    }
    assertThat(readAhead[0]).as("files read ahead: all but the missing one and the folder")
        .isEqualTo(paths.size() - 2);
    assertThat(budget.bytesOut()).isZero();
  }

  @Test
  void readsLocalFilesIntoThePageCacheAndLeavesTheirReadingToTheTask() throws IOException {
    List<FileSummary> expected = withoutReadAhead();
    // Without the listing's lengths, and with them: no stat of its own then.
    for (long[] lengths : Arrays.asList(null, listedLengths())) {
      ReadAhead.Pool budget = new ReadAhead.Pool(BUDGET);
      int[] readAhead = {0};
      try (ReadAhead ahead = new ReadAhead(CONF, paths, null, lengths, 4, Long.MAX_VALUE,
          () -> {}, budget, true, 0)) {
        assertThat(through(ahead, readAhead)).containsExactlyElementsOf(expected);
        assertThat(ahead.filesIntoPageCache()).as("all but the missing file and the folder")
            .isEqualTo(paths.size() - 2);
      }
      assertThat(readAhead[0]).as("files handed over as bytes").isZero();
      assertThat(budget.bytesOut()).isZero();
    }
  }

  /**
   * Each path's length as a local folder's listing gives it ({@link InputPaths.Listing#lengths}):
   * a regular file's, and {@link InputPaths#NO_LENGTH} for the missing file and the folder.
   */
  static long[] listedLengths() throws IOException {
    long[] lengths = new long[paths.size()];
    for (int i = 0; i < lengths.length; i++) {
      Path file = Path.of(paths.get(i));
      lengths[i] = Files.isRegularFile(file) ? Files.size(file) : InputPaths.NO_LENGTH;
    }
    return lengths;
  }

  @Test
  void readsLocalFilesPastThePageCacheWhereAskedWithTheSameRows() throws IOException {
    for (Path dir : List.of(Fixtures.dir(), tmp)) {
      try (FileChannel probe = FileChannel.open(Files.createTempFile(dir, "direct", ".probe"),
          StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE,
          com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
        assertThat(probe.size()).isZero();
      } catch (IOException | UnsupportedOperationException e) {
        assumeTrue(false, dir + " refuses direct I/O: " + e);
      }
    }
    List<FileSummary> expected = withoutReadAhead();
    Configuration direct = new Configuration(CONF);
    direct.setBoolean(ReadAhead.DIRECT_IO, true);
    for (long[] lengths : Arrays.asList(null, listedLengths())) {
      ReadAhead.Pool budget = new ReadAhead.Pool(BUDGET);
      int[] readAhead = {0};
      // Files of every length the fixtures have, few of them whole blocks, and a truncated one.
      try (ReadAhead ahead = new ReadAhead(direct, paths, null, lengths, 4, Long.MAX_VALUE,
          () -> {}, budget, true, 0)) {
        assertThat(through(ahead, readAhead)).containsExactlyElementsOf(expected);
        assertThat(ahead.filesIntoPageCache()).isZero();
      }
      assertThat(readAhead[0])
          .as("files handed over as bytes: all but the missing file and the folder")
          .isEqualTo(paths.size() - 2);
      assertThat(budget.bytesOut()).isZero();
    }
  }

  @Test
  void stopsReadingAheadWhereTheFirstFilesAreAlreadyInThePageCache() throws IOException {
    // Files just written and read are in the page cache: after four found there, no more reads
    // but those started while the four were looked at.
    List<String> regular = new java.util.ArrayList<>();
    for (String path : paths) {
      if (Files.isRegularFile(Path.of(path))) {
        Files.readAllBytes(Path.of(path));
        regular.add(path);
      }
    }
    assertThat(regular.size()).isGreaterThan(20);
    int[] readAhead = {0};
    try (ReadAhead ahead = new ReadAhead(CONF, regular, null, null, 4, Long.MAX_VALUE, () -> {},
        new ReadAhead.Pool(BUDGET), true, 4)) {
      for (int i = 0; i < regular.size(); i++) {
        try (Stores.ReadableFile file = ahead.take(i)) {
          readAhead[0] += file == null ? 0 : 1;
        }
      }
      assertThat(ahead.filesIntoPageCache()).as("files read into the page cache")
          .isLessThanOrEqualTo(4);
      assertThat(ahead.readsStarted()).as("reads started").isLessThan(4 + 4 + 2);
    }
    assertThat(readAhead[0]).isZero();
  }

  @Test
  void leavesAFileLargerThanASplitToTheTask() throws IOException {
    long split = 100_000;
    long small = 0;
    for (String path : paths) {
      Path file = Path.of(path);
      if (Files.isRegularFile(file) && Files.size(file) <= split) {
        small++;
      }
    }
    assertThat(small).isLessThan(paths.size() - 2);
    List<FileSummary> expected = withoutReadAhead();
    for (boolean intoPageCache : new boolean[] {true, false}) {
      int[] readAhead = {0};
      try (ReadAhead ahead = new ReadAhead(CONF, paths, null, null, 4, split, () -> {},
          new ReadAhead.Pool(BUDGET), intoPageCache, 0)) {
        assertThat(through(ahead, readAhead)).containsExactlyElementsOf(expected);
        assertThat(readAhead[0] + ahead.filesIntoPageCache()).as("into the page cache: %s",
            intoPageCache).isEqualTo(small);
      }
    }
  }

  @Test
  void holdsAtMostItsFilesAheadAndTheTakenOne() throws Exception {
    ReadAhead.Pool budget = new ReadAhead.Pool(BUDGET);
    try (ReadAhead ahead = new ReadAhead(CONF, paths.subList(11, 19), null, null, 2,
        Long.MAX_VALUE, () -> {}, budget, false, 0)) {
      Stores.ReadableFile first = ahead.take(0);
      assertThat(first).isNotNull();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (ahead.buffersOut() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(200);
      assertThat(ahead.buffersOut()).as("the file taken and the two read ahead").isEqualTo(3);
      first.close();
      for (int i = 1; i < 8; i++) {
        try (Stores.ReadableFile file = ahead.take(i)) {
          assertThat(file).as("file %s", i).isNotNull();
        }
      }
      assertThat(ahead.mostBuffersOut()).isEqualTo(3);
    }
    assertThat(budget.bytesOut()).isZero();
  }

  @Test
  void aFileOverTheBudgetIsLeftToTheTaskWithTheSameRows() {
    List<FileSummary> expected = withoutReadAhead();
    // Room for one buffer of a small file at a time: the large files, and any file while another
    // holds the budget, are read by the task itself.
    long room = 128 * 1024;
    ReadAhead.Pool budget = new ReadAhead.Pool(room);
    int[] readAhead = {0};
    try (ReadAhead ahead = new ReadAhead(CONF, paths, null, null, 1, Long.MAX_VALUE,
        () -> {}, budget, false, 0)) {
      assertThat(through(ahead, readAhead)).containsExactlyElementsOf(expected);
    }
    assertThat(readAhead[0]).isBetween(1, paths.size() - 5);
    assertThat(budget.bytesOut()).isZero();
  }

  @Test
  void theNextInstanceReadsIntoTheBuffersTheLastOneKeptWithTheSameRows() {
    List<FileSummary> expected = withoutReadAhead();
    ReadAhead.Pool pool = new ReadAhead.Pool(BUDGET);
    for (int round = 1; round <= 2; round++) {
      try (ReadAhead ahead = new ReadAhead(CONF, paths, null, null, 4, Long.MAX_VALUE,
          () -> {}, pool, false, 0)) {
        assertThat(through(ahead, new int[1])).as("round %d", round)
            .containsExactlyElementsOf(expected);
      }
      assertThat(pool.keptBytes()).as("the buffers, kept").isPositive();
      assertThat(pool.bytesOut()).isZero();
    }
  }

  @Test
  void aKeptBufferIsFilledAgainRatherThanANewOneMade() throws IOException {
    Path file = tmp.resolve("kept-again.bin");
    Files.write(file, new byte[300_000]);
    ReadAhead.Pool pool = new ReadAhead.Pool(BUDGET);
    long keptAfterFirst = -1;
    for (int round = 1; round <= 3; round++) {
      try (ReadAhead ahead = new ReadAhead(CONF, List.of(file.toString()), null, null, 1,
          Long.MAX_VALUE, () -> {}, pool, false, 0);
          Stores.ReadableFile bytes = ahead.take(0)) {
        assertThat(bytes).isNotNull();
        assertThat(bytes.length()).isEqualTo(300_000);
      }
      if (round == 1) {
        keptAfterFirst = pool.keptBytes();
        assertThat(keptAfterFirst).as("one buffer of whole grains").isEqualTo(5 * 64 * 1024);
      }
      assertThat(pool.keptBytes()).as("round %d: the same buffer", round)
          .isEqualTo(keptAfterFirst);
      assertThat(pool.budget.availablePermits()).isEqualTo((int) (BUDGET - keptAfterFirst));
    }
  }

  @Test
  void aKeptBufferTooSmallForAFileMakesRoomForItsBuffer() throws IOException {
    // A budget of 1 MiB: a small file's buffer kept from one instance leaves too little room for
    // the next instance's file of 1,000,000 bytes, whose buffer takes the whole MiB.
    Path small = Files.write(tmp.resolve("kept-small.bin"), new byte[1000]);
    Path large = Files.write(tmp.resolve("kept-large.bin"), new byte[1_000_000]);
    ReadAhead.Pool pool = new ReadAhead.Pool(1 << 20);
    for (Path file : List.of(small, large)) {
      try (ReadAhead ahead = new ReadAhead(CONF, List.of(file.toString()), null, null, 1,
          Long.MAX_VALUE, () -> {}, pool, false, 0);
          Stores.ReadableFile bytes = ahead.take(0)) {
        assertThat(bytes).as("%s read ahead", file.getFileName()).isNotNull();
        assertThat(bytes.length()).isEqualTo(Files.size(file));
      }
    }
    assertThat(pool.keptBytes()).as("the large file's buffer alone").isEqualTo(1 << 20);
    assertThat(pool.bytesOut()).isZero();
  }

  @Test
  void closingStopsTheReadingThreadsAndGivesTheBudgetBack() throws Exception {
    ReadAhead.Pool budget = new ReadAhead.Pool(BUDGET);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    ReadAhead ahead = new ReadAhead(CONF, paths, null, null, 4, Long.MAX_VALUE,
        () -> threads.add(Thread.currentThread()), budget, false, 0);
    // Closed midway, with files read ahead and never taken.
    ahead.take(0).close();
    Stores.ReadableFile open = ahead.take(1);
    ahead.close();
    assertThat(ahead.stopped()).isTrue();
    assertThat(threads).hasSize(4);
    for (Thread thread : threads) {
      thread.join(10_000);
      assertThat(thread.isAlive()).as(thread.getName()).isFalse();
    }
    assertThat(budget.bytesOut()).as("the buffer of the file still open").isEqualTo(64 * 1024);
    open.close();
    assertThat(budget.bytesOut()).isZero();
  }
}
